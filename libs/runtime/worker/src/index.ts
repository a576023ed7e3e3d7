export * from './worker.module';
export * from './bootstrap';
export { EmailProcessor } from './email.processor';
