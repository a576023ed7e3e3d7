export * from './worker.module';
export * from './bootstrap';
export { EmailProcessor } from './email.processor';
export { ProcessorOf, QueueProcessor } from './queue-processor';
