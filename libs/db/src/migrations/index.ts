import { Foundation1764000000000 } from './1764000000000-foundation';

/** Every schema change, in order. Never edit one that has shipped; add the next. */
export const migrations = [Foundation1764000000000];
