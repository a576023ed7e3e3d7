export * from './naming-strategy';
export * from './base.entity';
export * from './data-source';
export * from './embedded-postgres';
export * from './transactions';
export { migrations } from './migrations';
export * from './pagination';
export * from './held-connection';
