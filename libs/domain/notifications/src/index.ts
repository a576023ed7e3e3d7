export * from './mail-templates';
export * from './mailer';
