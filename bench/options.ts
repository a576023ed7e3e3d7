/** `--name=value` (or a bare `--name`, giving '') from the command line; undefined when absent. */
export function option(name: string): string | undefined {
  const arg = process.argv.find((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  return arg === undefined ? undefined : (arg.split('=')[1] ?? '');
}

/** A number given as `--name=value`, or `fallback` when it is not given. */
export function numberOption(name: string, fallback: number): number {
  const value = option(name);
  return value ? Number(value) : fallback;
}
