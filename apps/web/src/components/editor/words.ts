// Words as the collaboration service counts them (countWords in libs/collab-core/src/derive.ts),
// so the count while writing is the count editors see in the portrait list.
const WORD = /[\p{L}\p{N}]+(?:['’\-.][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  return text.match(WORD)?.length ?? 0;
}

export type WordCountVerdict = 'below' | 'within' | 'above';

export function wordCountVerdict(count: number, min: number, max: number): WordCountVerdict {
  if (count < min) return 'below';
  return count > max ? 'above' : 'within';
}
