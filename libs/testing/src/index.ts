export * from './api-process';
export * from './databases';
export * from './db-snapshot';
export * from './graphql-client';
export * from './private-redis';
export * from './smtp';
export * from './test-app';
export * from './wait';
