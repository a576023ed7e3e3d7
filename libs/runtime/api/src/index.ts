export * from './api.module';
export * from './bootstrap';
