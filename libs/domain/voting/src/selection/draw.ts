import { createHash } from 'node:crypto';

/**
 * The seeded draw that breaks ties, which anyone can re-run: each candidate's draw key is the
 * SHA-256 (hex) of "<seed>:<candidate id>", and the draw order is by that key, smallest first.
 * Returns each candidate's position in the draw (1 = drawn first).
 */
export function drawPositions(seed: string, candidateIds: readonly string[]): Map<string, number> {
  const keyed = candidateIds.map((id) => ({ id, key: createHash('sha256').update(`${seed}:${id}`).digest('hex') }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return new Map(keyed.map((k, index) => [k.id, index + 1]));
}

/** Candidates with equal votes that a selection split: some in, some out, in the order of the draw. */
export interface SplitTie {
  votes: number;
  candidates: { id: string; drawPosition: number; selected: boolean }[];
}

/**
 * Where the draw decided: the groups of candidates with equal votes of which the selection took
 * some and left others, most votes first, each in the order of the draw. Pinned and excluded
 * candidates are left out (the editors decided them), and so is every group the selection took
 * whole or left whole.
 */
export function splitTies(
  pool: readonly { id: string; votes: number }[], selection: { seed: string; selected: readonly string[]; pinned: readonly string[]; excluded: readonly string[] },
): SplitTie[] {
  const draw = drawPositions(selection.seed, pool.map((c) => c.id));
  const selected = new Set(selection.selected);
  const decided = new Set([...selection.pinned, ...selection.excluded]);
  const byVotes = new Map<number, SplitTie['candidates']>();
  for (const c of pool) {
    if (decided.has(c.id)) continue;
    const group = byVotes.get(c.votes) ?? [];
    group.push({ id: c.id, drawPosition: draw.get(c.id) as number, selected: selected.has(c.id) });
    byVotes.set(c.votes, group);
  }
  return [...byVotes]
    .filter(([, group]) => group.some((c) => c.selected) && group.some((c) => !c.selected))
    .sort(([a], [b]) => b - a)
    .map(([votes, group]) => ({ votes, candidates: group.sort((a, b) => a.drawPosition - b.drawPosition) }));
}
