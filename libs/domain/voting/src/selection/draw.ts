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
