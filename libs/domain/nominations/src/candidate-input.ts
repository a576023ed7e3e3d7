import { FieldProblem } from '@quire/core';
import { Candidate, Gender, GENDERS, GOVERNMENT_LAYERS, GovernmentLayer } from './entities';

/** What a member says about the person they nominate. */
export interface CandidateInput {
  name: string;
  nameVariants?: string[];
  birthYear?: number | null;
  deathYear?: number | null;
  offices?: string[];
  organisation?: string;
  governmentLayer?: GovernmentLayer;
  periodStart?: number | null;
  periodEnd?: number | null;
  gender?: Gender;
  region?: string;
  wikidataId?: string | null;
  bio?: string;
}

export type CandidateFields = Required<CandidateInput>;

export function candidateFields(input: CandidateInput): CandidateFields {
  return {
    name: input.name.trim().replace(/\s+/g, ' '),
    nameVariants: [...new Set((input.nameVariants ?? []).map((v) => v.trim().replace(/\s+/g, ' ')).filter(Boolean))],
    birthYear: input.birthYear ?? null,
    deathYear: input.deathYear ?? null,
    offices: (input.offices ?? []).map((o) => o.trim()).filter(Boolean),
    organisation: (input.organisation ?? '').trim(),
    governmentLayer: input.governmentLayer ?? 'OTHER',
    periodStart: input.periodStart ?? null,
    periodEnd: input.periodEnd ?? null,
    gender: input.gender ?? 'UNKNOWN',
    region: (input.region ?? '').trim(),
    wikidataId: input.wikidataId?.trim() || null,
    bio: (input.bio ?? '').trim(),
  };
}

const YEAR_MIN = 1000;
const YEAR_MAX = 2100;

function yearProblem(field: string, year: number | null): FieldProblem[] {
  return year === null || (Number.isInteger(year) && year >= YEAR_MIN && year <= YEAR_MAX) ? [] : [{ field, message: `A year from ${YEAR_MIN} to ${YEAR_MAX}` }];
}

export function candidateProblems(c: CandidateFields, prefix = 'candidate'): FieldProblem[] {
  const f = (name: string): string => `${prefix}.${name}`;
  const problems: FieldProblem[] = [];
  if (c.name.length < 2 || c.name.length > 200) problems.push({ field: f('name'), message: 'Give a name of 2-200 characters' });
  if (c.nameVariants.length > 20 || c.nameVariants.some((v) => v.length > 200)) problems.push({ field: f('nameVariants'), message: 'At most 20 variants of at most 200 characters' });
  problems.push(...yearProblem(f('birthYear'), c.birthYear), ...yearProblem(f('deathYear'), c.deathYear), ...yearProblem(f('periodStart'), c.periodStart), ...yearProblem(f('periodEnd'), c.periodEnd));
  if (c.birthYear !== null && c.deathYear !== null && c.deathYear < c.birthYear) problems.push({ field: f('deathYear'), message: 'Cannot come before the birth year' });
  if (c.periodStart !== null && c.periodEnd !== null && c.periodEnd < c.periodStart) problems.push({ field: f('periodEnd'), message: 'Cannot come before the start of the period' });
  if (c.offices.length > 30 || c.offices.some((o) => o.length > 200)) problems.push({ field: f('offices'), message: 'At most 30 offices of at most 200 characters' });
  if (c.organisation.length > 200) problems.push({ field: f('organisation'), message: 'At most 200 characters' });
  if (!GOVERNMENT_LAYERS.includes(c.governmentLayer)) problems.push({ field: f('governmentLayer'), message: `One of ${GOVERNMENT_LAYERS.join(', ')}` });
  if (!GENDERS.includes(c.gender)) problems.push({ field: f('gender'), message: `One of ${GENDERS.join(', ')}` });
  if (c.region.length > 100) problems.push({ field: f('region'), message: 'At most 100 characters' });
  if (c.wikidataId !== null && !/^Q[1-9][0-9]{0,11}$/.test(c.wikidataId)) problems.push({ field: f('wikidataId'), message: 'A Wikidata id such as Q57196' });
  if (c.bio.length > 2000) problems.push({ field: f('bio'), message: 'At most 2000 characters' });
  return problems;
}

export function applyCandidateFields(candidate: Candidate, fields: CandidateFields): Candidate {
  return Object.assign(candidate, fields);
}
