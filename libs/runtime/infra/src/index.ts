export * from './runtime-options';
export * from './infra.module';
export * from './services';
