import { Foundation1764000000000 } from './1764000000000-foundation';
import { Nominations1764100000000 } from './1764100000000-nominations';

/** Every schema change, in order. Never edit one that has shipped; add the next. */
export const migrations = [Foundation1764000000000, Nominations1764100000000];
