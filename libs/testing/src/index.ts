export * from './databases';
export * from './graphql-client';
export * from './test-app';
