/**
 * Polls `condition` until it returns a value other than false, null or undefined and returns that value;
 * fails after `timeoutMs` naming `what`. A bound on waiting, not a claim about speed.
 */
export async function waitFor<T>(condition: () => T | false | null | undefined | Promise<T | false | null | undefined>, what: string, { timeoutMs = 20_000, intervalMs = 50 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== false && value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
