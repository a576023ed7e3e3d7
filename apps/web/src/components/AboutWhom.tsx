/**
 * Who a repeated button or link is about ("Undo", "View"), for screen readers that list them
 * out of context: read as "Undo (J.R. Thorbecke)". Parentheses, because browsers put a space
 * before hidden text, which would strand other punctuation.
 */
export function AboutWhom({ name }: { name: string }) {
  return <span className="quire-visually-hidden"> ({name})</span>;
}
