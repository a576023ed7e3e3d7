import highsLoader, { Highs } from 'highs';
import type { Gender, GovernmentLayer } from '@quire/domain/nominations';
import { Quota, QuotaOutcome, SelectionOutcome } from '../entities';
import { drawPositions } from './draw';

/** A candidate the selection may take, with the votes it got and what the quotas look at. */
export interface PoolCandidate {
  id: string;
  votes: number;
  gender: Gender;
  governmentLayer: GovernmentLayer;
  region: string;
  periodStart: number | null;
  periodEnd: number | null;
  birthYear: number | null;
  deathYear: number | null;
}

export interface SelectionProblem {
  pool: PoolCandidate[];
  size: number;
  quotas: Quota[];
  pinned: readonly string[];
  excluded: readonly string[];
  seed: string;
}

export interface SelectionSolution {
  outcome: SelectionOutcome;
  /** Most votes first, then by the draw. */
  selected: string[];
  totalVotes: number | null;
  quotas: QuotaOutcome[];
  /** Every pool candidate's position in the seeded draw (1 = first). */
  draw: Map<string, number>;
  seconds: number;
}

/**
 * Whether a candidate belongs to a quota's group. A PERIOD holds the candidates active at any time
 * in it: their period of office, or else their life (the same test as the candidate filters).
 */
export function inQuota(quota: Quota, c: PoolCandidate): boolean {
  switch (quota.dimension) {
    case 'GENDER':
      return c.gender === quota.value;
    case 'GOVERNMENT_LAYER':
      return c.governmentLayer === quota.value;
    case 'REGION':
      return normaliseRegion(c.region) === normaliseRegion(quota.value ?? '');
    case 'PERIOD': {
      const end = c.periodEnd ?? c.periodStart ?? c.deathYear;
      const start = c.periodStart ?? c.periodEnd ?? c.birthYear;
      return end !== null && start !== null && end >= (quota.from as number) && start <= (quota.to as number);
    }
  }
}

export function normaliseRegion(region: string): string {
  return region.trim().toLowerCase();
}

let loading: Promise<Highs> | undefined;
function solverRuntime(): Promise<Highs> {
  loading ??= highsLoader().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/**
 * The balance assistant: the N candidates with the most votes in total that meet every quota,
 * include the pinned and leave out the excluded, solved exactly as a 0-1 integer program by HiGHS.
 *
 * Ties are broken by the seeded draw (see drawPositions), in a second exact solve: among the
 * selections with that most votes, the one whose candidates were drawn earliest, that is with
 * the smallest sum of draw positions. When candidates tie on votes at the cut-off this simply
 * takes the one drawn first. With the seed, the votes, the quotas, the pins and the exclusions
 * (all kept with the proposal) anyone can re-run it, with this code or by enumeration.
 *
 * A quota binds when the selection sits at its limit and dropping it would gain votes: each such
 * quota is solved again without it to say what it costs.
 */
export async function solveSelection(problem: SelectionProblem): Promise<SelectionSolution> {
  const started = performance.now();
  const highs = await solverRuntime();
  const excluded = new Set(problem.excluded);
  const candidates = problem.pool.filter((c) => !excluded.has(c.id));
  const draw = drawPositions(problem.seed, problem.pool.map((c) => c.id));
  const members = problem.quotas.map((q) => candidates.map((c, i) => (inQuota(q, c) ? i : -1)).filter((i) => i >= 0));
  const model = new SelectionModel(candidates, problem.size, new Set(problem.pinned));
  const report = (selected: Set<number> | null, costs: (number | null)[] = []): QuotaOutcome[] =>
    problem.quotas.map((q, k) => {
      const count = selected ? members[k].filter((i) => selected.has(i)).length : null;
      const atLimit = count !== null && ((q.min > 0 && count === q.min) || (q.max !== null && count === q.max));
      return { ...q, available: members[k].length, selected: count, atLimit, costInVotes: costs[k] ?? (selected ? 0 : null) };
    });
  const infeasible = (): SelectionSolution => ({ outcome: 'INFEASIBLE', selected: [], totalVotes: null, quotas: report(null), draw, seconds: (performance.now() - started) / 1000 });

  const rows = problem.quotas.map((q, k) => ({ q, members: members[k] }));
  const best = model.solve(highs, candidates.map((c) => c.votes), rows);
  if (!best) return infeasible();
  const maxVotes = Math.round(best.objective);
  // Maximising (pool size + 1 - draw position) summed is minimising the sum of draw positions.
  const priorities = candidates.map((c) => problem.pool.length + 1 - (draw.get(c.id) as number));
  const chosen = model.solve(highs, priorities, rows, { votes: candidates.map((c) => c.votes), atLeast: maxVotes });
  if (!chosen) throw new Error('The tie-break found no selection with the most votes; the solver disagrees with itself');
  const selected = new Set(chosen.selected);
  const costs = rows.map(({ q, members: group }, k) => {
    const count = group.filter((i) => selected.has(i)).length;
    if (!((q.min > 0 && count === q.min) || (q.max !== null && count === q.max))) return 0;
    const without = model.solve(highs, candidates.map((c) => c.votes), rows.filter((_, other) => other !== k));
    return without ? Math.round(without.objective) - maxVotes : 0;
  });
  const ordered = [...selected].sort((a, b) => candidates[b].votes - candidates[a].votes || (draw.get(candidates[a].id) as number) - (draw.get(candidates[b].id) as number));
  return {
    outcome: 'OPTIMAL',
    selected: ordered.map((i) => candidates[i].id),
    totalVotes: ordered.reduce((sum, i) => sum + candidates[i].votes, 0),
    quotas: report(selected, costs),
    draw,
    seconds: (performance.now() - started) / 1000,
  };
}

interface QuotaRow {
  q: Quota;
  members: number[];
}

/** The 0-1 program in CPLEX LP format: x_i = 1 when candidate i is selected. */
class SelectionModel {
  constructor(
    private readonly candidates: PoolCandidate[],
    private readonly size: number,
    private readonly pinned: Set<string>,
  ) {}

  /** Maximises `weights`; null when no selection meets the constraints. */
  solve(highs: Highs, weights: number[], quotas: QuotaRow[], floor?: { votes: number[]; atLeast: number }): { objective: number; selected: number[] } | null {
    const n = this.candidates.length;
    if (n < this.size) return null;
    const x = (i: number): string => `x${i}`;
    const sum = (indexes: number[], coefficients?: number[]): string => indexes.map((i) => (coefficients ? `${coefficients[i]} ${x(i)}` : x(i))).join(' + ');
    const all = Array.from({ length: n }, (_, i) => i);
    const lines = ['Maximize', ` obj: ${sum(all, weights)}`, 'Subject To', ` size: ${sum(all)} = ${this.size}`];
    for (const [k, { q, members }] of quotas.entries()) {
      if (!members.length) {
        if (q.min > 0) return null;
        continue;
      }
      if (q.min > 0) lines.push(` q${k}_min: ${sum(members)} >= ${q.min}`);
      if (q.max !== null) lines.push(` q${k}_max: ${sum(members)} <= ${q.max}`);
    }
    if (floor) lines.push(` votes: ${sum(all, floor.votes)} >= ${floor.atLeast}`);
    const pinned = all.filter((i) => this.pinned.has(this.candidates[i].id));
    if (pinned.length) lines.push('Bounds', ...pinned.map((i) => ` ${x(i)} = 1`));
    lines.push('Binary', ` ${all.map(x).join(' ')}`, 'End');
    // Exact: no relative gap, so a proven optimum; the build is single-threaded and deterministic.
    const solution = highs.solve(lines.join('\n'), { mip_rel_gap: 0, output_flag: false, log_to_console: false });
    if (solution.Status === 'Infeasible') return null;
    if (solution.Status !== 'Optimal') throw new Error(`The selection solver stopped with status ${solution.Status}`);
    const selected = all.filter((i) => Math.round(solution.Columns[x(i)]?.Primal ?? 0) === 1);
    return { objective: solution.ObjectiveValue, selected };
  }
}
