/**
 * `npm run bench:duplicates`: the duplicate detector's precision, recall, F1 and query latency on
 * the hand-labelled Dutch name pairs in bench/data/dutch-name-pairs.tsv, among 50,000 synthetic
 * candidates, against a peer run in the same process on the same database: a plain pg_trgm
 * similarity search on the name (what a naive implementation, like Decidim's, does).
 *
 * For every pair the "a" side is an existing candidate and the "b" side is what a member types;
 * a pair counts as predicted "same" when the search for "b" returns "a" at or above the
 * duplicate threshold. Latency is the wall time of one search as the API runs it (retrieval in
 * PostgreSQL and ranking in TypeScript). The last line printed is one JSON object.
 *
 * Options: --candidates=N (default 50000), --errors (list the dev pairs judged wrongly),
 * --errors=all (also the holdout pairs; look only when done tuning).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { dataSourceOptions } from '@quire/db';
import { createTestDatabase } from '../libs/testing/src/databases';
import { DUPLICATE_THRESHOLD, nameKeys } from '../libs/domain/nominations/src/names/dutch-names';
import { findSimilarCandidates } from '../libs/domain/nominations/src/names/similar-candidates';
import { seededRandom } from '../libs/testing/src/seeded-random';
import { option } from './options';

const DATA_DIR = join(__dirname, 'data');
const RESULT_LIMIT = 10;
const WARM_UP_QUERIES = 100;
/** pg_trgm's default similarity_threshold, which the `%` operator uses unless told otherwise. */
const BASELINE_THRESHOLD = 0.3;

interface LabelledPair {
  set: 'dev' | 'holdout';
  a: { name: string; variants: string[]; birthYear: number | null; deathYear: number | null };
  b: { name: string; birthYear: number | null; deathYear: number | null };
  same: boolean;
  note: string;
}

interface NewCandidate {
  name: string;
  variants: string[];
  birthYear: number | null;
  deathYear: number | null;
}

interface Outcome {
  pair: LabelledPair;
  predicted: boolean;
  /** The best score the search gave "a" (0 when not returned), for threshold sweeps. */
  score: number;
  ms: number;
}

function loadPairs(): LabelledPair[] {
  const lines = readFileSync(join(DATA_DIR, 'dutch-name-pairs.tsv'), 'utf8').split('\n').filter((line) => line.trim());
  const year = (cell: string) => (cell.trim() ? Number(cell) : null);
  return lines.slice(1).map((line) => {
    const [set, nameA, variantsA, birthA, deathA, nameB, birthB, deathB, same, note] = line.split('\t');
    return {
      set: set as LabelledPair['set'],
      a: { name: nameA, variants: variantsA ? variantsA.split(';').map((v) => v.trim()) : [], birthYear: year(birthA), deathYear: year(deathA) },
      b: { name: nameB, birthYear: year(birthB), deathYear: year(deathB) },
      same: same === '1',
      note,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Synthetic candidates

interface NameParts {
  maleGivenNames: string[][];
  femaleGivenNames: string[][];
  commonSurnames: string[];
  surnamePrefixes: string[];
  surnameRoots: string[];
  particlesForComposedSurnames: string[];
  titles: string[];
}

/**
 * Plausible Dutch candidates: a quarter with one of the hundred most common surnames (weighted
 * towards the top, so De Jong has hundreds of rows), the rest with a long tail of composed
 * surnames; one or two baptismal names or their roepnaam, or initials; sometimes a title, a
 * patronymic (before 1750) or a stored variant; life years from 1550 on, some unknown.
 */
function syntheticCandidates(count: number, random: () => number): NewCandidate[] {
  const parts = JSON.parse(readFileSync(join(DATA_DIR, 'dutch-name-parts.json'), 'utf8')) as NameParts;
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)];
  const commonWeights = parts.commonSurnames.map((_, rank) => 1 / (rank + 10));
  const commonTotal = commonWeights.reduce((sum, w) => sum + w, 0);
  const commonSurname = () => {
    let r = random() * commonTotal;
    for (const [rank, weight] of commonWeights.entries()) if ((r -= weight) <= 0) return parts.commonSurnames[rank];
    return parts.commonSurnames[0];
  };
  const composedSurname = () => {
    const particle = pick(parts.particlesForComposedSurnames);
    const core = pick(parts.surnamePrefixes) + pick(parts.surnameRoots);
    return particle ? `${particle} ${core}` : core;
  };
  const initials = (names: string[]) => names.map((n) => `${n[0]}.`).join('');

  const candidates: NewCandidate[] = [];
  for (let i = 0; i < count; i++) {
    const givenPool = random() < 0.7 ? parts.maleGivenNames : parts.femaleGivenNames;
    const forms = Array.from({ length: random() < 0.35 ? 2 : 1 }, () => pick(givenPool));
    const baptismal = forms.map((f) => f[0]);
    const roepnaam = forms[0][1] ?? forms[0][0];
    const surname = random() < 0.25 ? commonSurname() : composedSurname();
    const birthYear = random() < 0.85 ? 1550 + Math.floor(random() * 440) : null;
    const deathYear = birthYear !== null && birthYear < 1990 && random() < 0.9 ? Math.min(birthYear + 25 + Math.floor(random() * 70), 2025) : null;
    const patronymic = birthYear !== null && birthYear < 1750 && random() < 0.3 ? ` ${pick(parts.maleGivenNames)[0]}sz.` : '';

    const style = random();
    let given: string;
    if (style < 0.35) given = baptismal.join(' ');
    else if (style < 0.6) given = roepnaam;
    else if (style < 0.85) given = initials(baptismal);
    else given = `${pick(parts.titles)} ${initials(baptismal)}`;
    const name = `${given}${patronymic} ${surname}`;
    const variants = random() < 0.1 ? [`${roepnaam} ${surname}`] : [];
    candidates.push({ name, variants, birthYear, deathYear });
  }
  return candidates;
}

// ---------------------------------------------------------------------------------------------
// Database

async function insertCandidates(em: EntityManager, projectId: string, candidates: NewCandidate[]): Promise<string[]> {
  const rows = candidates.map((c) => ({ id: randomUUID(), ...c, ...nameKeys(c.name, c.variants) }));
  const batchSize = 5000;
  for (let start = 0; start < rows.length; start += batchSize) {
    await em.query(
      `INSERT INTO candidates (id, project_id, name, name_variants, birth_year, death_year, match_key, surname_key)
       SELECT x.id, $1, x.name, ARRAY(SELECT jsonb_array_elements_text(x.variants)), x."birthYear", x."deathYear", x."matchKey", x."surnameKey"
         FROM jsonb_to_recordset($2::jsonb) AS x(id uuid, name text, variants jsonb, "birthYear" int, "deathYear" int, "matchKey" text, "surnameKey" text)`,
      [projectId, JSON.stringify(rows.slice(start, start + batchSize))],
    );
  }
  return rows.map((row) => row.id);
}

/** The peer: the most similar names by pg_trgm similarity of the lowercased name, as they come. */
async function baselineSearch(em: EntityManager, projectId: string, name: string): Promise<{ id: string; score: number }[]> {
  return em.query(
    `SELECT id, similarity(lower(name), lower($2)) AS score
       FROM candidates
      WHERE project_id = $1 AND merged_into_id IS NULL AND lower(name) % lower($2)
      ORDER BY score DESC
      LIMIT $3`,
    [projectId, name, RESULT_LIMIT],
  );
}

// ---------------------------------------------------------------------------------------------
// Measuring

async function measure(pairs: LabelledPair[], ids: string[], search: (pair: LabelledPair) => Promise<{ id: string; score: number }[]>, threshold: number): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [index, pair] of pairs.entries()) {
    const started = performance.now();
    const results = await search(pair);
    const ms = performance.now() - started;
    const score = results.find((r) => r.id === ids[index])?.score ?? 0;
    outcomes.push({ pair, predicted: score >= threshold && score > 0, score: Number(score), ms });
  }
  return outcomes;
}

interface Quality {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function quality(outcomes: { pair: LabelledPair; predicted: boolean }[]): Quality {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const { pair, predicted } of outcomes) {
    if (predicted && pair.same) tp++;
    else if (predicted) fp++;
    else if (pair.same) fn++;
    else tn++;
  }
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, tp, fp, fn, tn };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** The best F1 the peer reaches on this set with any threshold (generous: tuned on the answers). */
function bestThreshold(outcomes: Outcome[]): { threshold: number } & Quality {
  let best = { threshold: BASELINE_THRESHOLD, ...quality(outcomes) };
  for (let t = BASELINE_THRESHOLD; t <= 1.0001; t += 0.05) {
    const q = quality(outcomes.map((o) => ({ pair: o.pair, predicted: o.score > 0 && o.score >= t })));
    if (q.f1 > best.f1) best = { threshold: Number(t.toFixed(2)), ...q };
  }
  return best;
}

const round = (value: number, digits = 3) => Number(value.toFixed(digits));
const pct = (value: number) => `${(100 * value).toFixed(1)}%`;

async function main(): Promise<void> {
  const candidateCount = Number(option('candidates') ?? 50_000);
  const showErrors = option('errors');
  const pairs = loadPairs();
  const random = seededRandom(20150101);
  const database = await createTestDatabase('dupbench');
  const dataSource = new DataSource({ ...dataSourceOptions(database.url), extra: { max: 2 } });
  try {
    await dataSource.initialize();
    const em = dataSource.manager;
    const [project] = await em.query(`INSERT INTO projects (slug, title) VALUES ('ambtenaren', 'Ambtenaren!') RETURNING id`);
    const projectId: string = project.id;

    let started = performance.now();
    const synthetic = syntheticCandidates(candidateCount, random);
    await insertCandidates(em, projectId, synthetic);
    const labelledIds = await insertCandidates(em, projectId, pairs.map((p) => p.a));
    // The peer gets the trigram index a naive implementation would add for its search.
    await em.query(`CREATE INDEX bench_candidates_name_trgm ON candidates USING gin (lower(name) gin_trgm_ops)`);
    await em.query(`VACUUM ANALYZE candidates`);
    process.stdout.write(`Inserted ${synthetic.length} synthetic and ${pairs.length} labelled candidates in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    // Warm caches and JIT for both searches with queries that are not measured.
    for (const candidate of synthetic.slice(0, WARM_UP_QUERIES)) {
      await findSimilarCandidates(em, projectId, { name: candidate.name, birthYear: candidate.birthYear }, RESULT_LIMIT);
      await baselineSearch(em, projectId, candidate.name);
    }

    started = performance.now();
    const quire = await measure(pairs, labelledIds, (pair) => findSimilarCandidates(em, projectId, pair.b, RESULT_LIMIT), DUPLICATE_THRESHOLD);
    const baseline = await measure(pairs, labelledIds, (pair) => baselineSearch(em, projectId, pair.b.name), BASELINE_THRESHOLD);
    process.stdout.write(`Ran ${2 * pairs.length} searches in ${((performance.now() - started) / 1000).toFixed(1)} s\n\n`);

    const rows: [string, Quality, number[]][] = [
      ['Quire, all pairs', quality(quire), quire.map((o) => o.ms)],
      ['Quire, dev pairs', quality(quire.filter((o) => o.pair.set === 'dev')), []],
      ['Quire, holdout pairs', quality(quire.filter((o) => o.pair.set === 'holdout')), []],
      [`pg_trgm similarity >= ${BASELINE_THRESHOLD}`, quality(baseline), baseline.map((o) => o.ms)],
    ];
    const tuned = bestThreshold(baseline);
    rows.push([`pg_trgm, best threshold ${tuned.threshold}`, tuned, []]);
    process.stdout.write(`${'detector'.padEnd(34)}${'precision'.padStart(10)}${'recall'.padStart(9)}${'F1'.padStart(8)}${'TP/FP/FN/TN'.padStart(17)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}\n`);
    for (const [label, q, ms] of rows) {
      const latency = ms.length ? `${percentile(ms, 50).toFixed(2).padStart(9)}${percentile(ms, 99).toFixed(2).padStart(9)}` : '';
      process.stdout.write(`${label.padEnd(34)}${pct(q.precision).padStart(10)}${pct(q.recall).padStart(9)}${round(q.f1).toFixed(3).padStart(8)}${`${q.tp}/${q.fp}/${q.fn}/${q.tn}`.padStart(17)}${latency}\n`);
    }
    const overall = rows[0][1];
    const base = rows[3][1];
    process.stdout.write(`\n${pairs.length} labelled pairs (${pairs.filter((p) => !p.same).length} different people), ${candidateCount} synthetic candidates, threshold ${DUPLICATE_THRESHOLD}. `);
    const p99Ratio = percentile(rows[3][2], 99) / percentile(rows[0][2], 99);
    process.stdout.write(`F1 ratio Quire/pg_trgm: ${(overall.f1 / base.f1).toFixed(2)}, p99 latency ratio pg_trgm/Quire: ${p99Ratio.toFixed(2)}\n`);

    if (showErrors !== undefined) {
      const wrong = quire.filter((o) => o.predicted !== o.pair.same && (showErrors === 'all' || o.pair.set === 'dev'));
      process.stdout.write(`\nPairs judged wrongly (${showErrors === 'all' ? 'all' : 'dev only'}):\n`);
      for (const o of wrong) {
        const years = (b: number | null, d: number | null) => (b || d ? ` (${b ?? '?'}-${d ?? ''})` : '');
        process.stdout.write(`  ${o.pair.same ? 'missed' : 'false '} ${o.score.toFixed(2)}  ${o.pair.a.name}${years(o.pair.a.birthYear, o.pair.a.deathYear)}  <>  ${o.pair.b.name}${years(o.pair.b.birthYear, o.pair.b.deathYear)}  [${o.pair.note}]\n`);
      }
    }

    const summary = {
      precision: round(overall.precision),
      recall: round(overall.recall),
      f1: round(overall.f1),
      p99_ms: round(percentile(rows[0][2], 99), 2),
      p50_ms: round(percentile(rows[0][2], 50), 2),
      candidates: candidateCount,
      pairs: pairs.length,
      threshold: DUPLICATE_THRESHOLD,
      holdout: { f1: round(rows[2][1].f1), pairs: pairs.filter((p) => p.set === 'holdout').length },
      baseline: {
        method: `pg_trgm similarity(lower(name)) >= ${BASELINE_THRESHOLD}, top ${RESULT_LIMIT}`,
        precision: round(base.precision),
        recall: round(base.recall),
        f1: round(base.f1),
        p99_ms: round(percentile(rows[3][2], 99), 2),
        p50_ms: round(percentile(rows[3][2], 50), 2),
        best_threshold: tuned.threshold,
        best_f1: round(tuned.f1),
      },
    };
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
