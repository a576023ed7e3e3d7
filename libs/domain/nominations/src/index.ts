export * from './entities';
export * from './round-rules';
export * from './rounds.service';
export * from './candidates.service';
export * from './nominations.service';
export * from './merge.service';
export * from './hooks';
export * from './participation';
export * from './nominations.module';
// GraphQL types other contexts return or extend (a vote's candidate, a round's ballot).
export { CandidateModel, ExportFormatEnum, RoundModel } from './nominations.model';
