/** `value` when it is one of `values` (a select's or form's string), else null. */
export function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return (values as readonly unknown[]).includes(value) ? (value as T) : null;
}
