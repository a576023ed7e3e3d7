export * from './entities';
export * from './round-rules';
export * from './rounds.service';
export * from './candidates.service';
export * from './nominations.service';
export * from './merge.service';
export * from './participation';
export * from './nominations.module';
