export * from './mail-templates';
export * from './mailer';
export * from './notification.entity';
export * from './notifications.service';
export * from './notifications.module';
