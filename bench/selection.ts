/**
 * `npm run bench:selection`: the balance assistant picks 100 of 2,000 candidates with 12 quotas
 * (gender, government layer, region and period, minimum and maximum), one pin and one exclusion,
 * as editors would ask it: the exact solve (HiGHS, proven optimal), the tie-break solve and a
 * re-solve without each quota at its limit, to say what it costs. It prints the quotas as they
 * came out and the time, and as the last line one JSON object.
 *
 * The peer is the obvious greedy selection (most votes first, skipping a candidate that would
 * break a maximum, then filling minimums): its votes show what exactness is worth, and how far
 * from the quotas greedy ends up.
 *
 * Options: --candidates=N (2000), --size=N (100), --runs=N (5).
 */
import { performance } from 'node:perf_hooks';
import { GENDERS, GOVERNMENT_LAYERS } from '../libs/domain/nominations/src/entities';
import { Quota } from '../libs/domain/voting/src/entities';
import { inQuota, PoolCandidate, solveSelection } from '../libs/domain/voting/src/selection/solver';
import { seededRandom } from '../libs/testing/src/seeded-random';
import { numberOption } from './options';

const REGIONS = ['Groningen', 'Friesland', 'Drenthe', 'Overijssel', 'Gelderland', 'Utrecht', 'Noord-Holland', 'Zuid-Holland', 'Zeeland', 'Noord-Brabant', 'Limburg', 'Flevoland'];

/** Candidates as a network nominates them: votes skewed to a few, more men than women, more national figures. */
function pool(count: number, random: () => number): PoolCandidate[] {
  const pick = <T>(list: readonly T[], weights?: number[]): T => {
    if (!weights) return list[Math.floor(random() * list.length)];
    let r = random() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < list.length; i++) if ((r -= weights[i]) <= 0) return list[i];
    return list[list.length - 1];
  };
  return Array.from({ length: count }, (_, i) => {
    const start = 1814 + Math.floor(random() * 200);
    return {
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      votes: Math.floor(2000 * random() ** 4),
      gender: pick(GENDERS, [30, 66, 1, 3]),
      governmentLayer: pick(GOVERNMENT_LAYERS, [45, 15, 25, 8, 3, 4]),
      region: pick(REGIONS),
      periodStart: start,
      periodEnd: Math.min(2025, start + 5 + Math.floor(random() * 35)),
      birthYear: null,
      deathYear: null,
    };
  });
}

const QUOTAS: Quota[] = [
  { label: 'at least 40 women', dimension: 'GENDER', value: 'FEMALE', from: null, to: null, min: 40, max: null },
  { label: 'at most 55 men', dimension: 'GENDER', value: 'MALE', from: null, to: null, min: 0, max: 55 },
  { label: 'national 25-45', dimension: 'GOVERNMENT_LAYER', value: 'NATIONAL', from: null, to: null, min: 25, max: 45 },
  { label: 'provincial at least 12', dimension: 'GOVERNMENT_LAYER', value: 'PROVINCIAL', from: null, to: null, min: 12, max: null },
  { label: 'municipal at least 20', dimension: 'GOVERNMENT_LAYER', value: 'MUNICIPAL', from: null, to: null, min: 20, max: null },
  { label: 'water boards at least 6', dimension: 'GOVERNMENT_LAYER', value: 'WATER_BOARD', from: null, to: null, min: 6, max: null },
  { label: 'overseas at least 3', dimension: 'GOVERNMENT_LAYER', value: 'OVERSEAS', from: null, to: null, min: 3, max: null },
  { label: 'Zeeland at least 4', dimension: 'REGION', value: 'Zeeland', from: null, to: null, min: 4, max: null },
  { label: 'Limburg at least 4', dimension: 'REGION', value: 'Limburg', from: null, to: null, min: 4, max: null },
  { label: '1814-1900 at least 25', dimension: 'PERIOD', value: null, from: 1814, to: 1900, min: 25, max: null },
  { label: '1900-1950 15-30', dimension: 'PERIOD', value: null, from: 1900, to: 1950, min: 15, max: 30 },
  { label: '1990-2015 at most 25', dimension: 'PERIOD', value: null, from: 1990, to: 2015, min: 0, max: 25 },
];

/** The peer: most votes first within the maximums, then the minimums filled with the best left. */
function greedy(candidates: PoolCandidate[], size: number, quotas: Quota[]): { votes: number; broken: number } {
  const sorted = [...candidates].sort((a, b) => b.votes - a.votes);
  const chosen = new Set<PoolCandidate>();
  const count = (q: Quota): number => [...chosen].filter((c) => inQuota(q, c)).length;
  for (const q of quotas.filter((q) => q.min > 0)) {
    for (const c of sorted) if (count(q) < q.min && chosen.size < size && !chosen.has(c) && inQuota(q, c)) chosen.add(c);
  }
  for (const c of sorted) {
    if (chosen.size >= size) break;
    if (!chosen.has(c) && quotas.every((q) => q.max === null || !inQuota(q, c) || count(q) < q.max)) chosen.add(c);
  }
  const broken = quotas.filter((q) => count(q) < q.min || (q.max !== null && count(q) > q.max)).length;
  return { votes: [...chosen].reduce((sum, c) => sum + c.votes, 0), broken };
}

async function main(): Promise<void> {
  const count = numberOption('candidates', 2000);
  const size = numberOption('size', 100);
  const runs = numberOption('runs', 5);
  const candidates = pool(count, seededRandom(20150101));
  const problem = { pool: candidates, size, quotas: QUOTAS, pinned: [candidates[1500].id], excluded: [candidates[0].id], seed: 'ambtenaren-2015' };
  // Loading the WebAssembly solver happens once per process; it is not part of a solve.
  const warm = performance.now();
  await solveSelection({ ...problem, size: 1, quotas: [] });
  const loadSeconds = (performance.now() - warm) / 1000;
  const times: number[] = [];
  let solution = await solveSelection(problem);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    solution = await solveSelection(problem);
    times.push((performance.now() - started) / 1000);
  }
  const peer = greedy(candidates.filter((c) => c.id !== candidates[0].id), size, QUOTAS);
  process.stdout.write(`${count} candidates, ${size} to select, ${QUOTAS.length} quotas, 1 pin, 1 exclusion; solver loaded in ${loadSeconds.toFixed(2)} s\n\n`);
  process.stdout.write(`${'quota'.padEnd(26)}${'min'.padStart(5)}${'max'.padStart(5)}${'avail'.padStart(7)}${'chosen'.padStart(8)}${'binds'.padStart(7)}${'costs'.padStart(8)}\n`);
  for (const q of solution.quotas) {
    process.stdout.write(`${q.label.padEnd(26)}${String(q.min).padStart(5)}${String(q.max ?? '-').padStart(5)}${String(q.available).padStart(7)}${String(q.selected).padStart(8)}${(q.costInVotes ? 'yes' : '').padStart(7)}${String(q.costInVotes ?? '').padStart(8)}\n`);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
  process.stdout.write(`\noutcome ${solution.outcome}, ${solution.totalVotes} votes; greedy peer ${peer.votes} votes with ${peer.broken} quota(s) broken\n`);
  process.stdout.write(`time per proposal (exact solve, tie-break, cost of each binding quota): median ${median.toFixed(3)} s, worst ${Math.max(...times).toFixed(3)} s over ${runs} runs\n`);
  process.stdout.write(`${JSON.stringify({ seconds: Number(Math.max(...times).toFixed(3)), median_seconds: Number(median.toFixed(3)), optimal: solution.outcome === 'OPTIMAL', total_votes: solution.totalVotes, greedy_votes: peer.votes, greedy_quotas_broken: peer.broken, candidates: count, size, quotas: QUOTAS.length })}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
