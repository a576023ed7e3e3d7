export * from './portrait.entity';
