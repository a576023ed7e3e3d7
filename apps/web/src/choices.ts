/** `value` when it is one of `values` (a select's or form's string), else null. */
export function oneOf<T extends string>(values: readonly T[], value: unknown): T | null {
  return (values as readonly unknown[]).includes(value) ? (value as T) : null;
}

/** A year as typed in a field: four digits, or null while it is not one (yet). */
export function typedYear(text: string): number | null {
  return /^\d{4}$/.test(text.trim()) ? Number(text) : null;
}
