export * from './jobs';
export * from './outbox';
export * from './processor';
export * from './relay';
export * from './redis';
export * from './run-once';
export * from './topics';
