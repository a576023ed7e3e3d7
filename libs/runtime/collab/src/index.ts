export * from './collab.module';
export * from './collab.service';
export * from './bootstrap';
