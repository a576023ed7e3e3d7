export * from './errors';
export * from './actor';
export * from './pagination';
export * from './nest';
export * from './graphql';
export * from './pipes';
export * from './objects';
export * from './batcher';
