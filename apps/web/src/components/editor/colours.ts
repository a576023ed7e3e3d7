// Caret and presence colours: dark enough that white names on them read at 4.5:1 (WCAG AA).
const COLOURS = ['#a90061', '#01689b', '#275937', '#673327', '#42145f', '#8a5000', '#154273', '#5c4a00'] as const;

/** The same colour for a person on every screen and in every session. */
export function colourOf(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return COLOURS[hash % COLOURS.length];
}
