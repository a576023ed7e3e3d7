import { Batcher } from './batcher';

/** A batch runner whose batches finish only when the test says so. */
function controlledRunner(): { batches: string[][]; finish: () => void; run: (items: string[]) => Promise<(string | Error)[]> } {
  const batches: string[][] = [];
  const pending: (() => void)[] = [];
  return {
    batches,
    finish: () => pending.shift()?.(),
    run: (items) => {
      batches.push(items);
      return new Promise((resolve) => pending.push(() => resolve(items.map((item) => (item.startsWith('bad') ? new Error(`refused ${item}`) : item.toUpperCase())))));
    },
  };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('starts a lone request at once and gathers those that arrive meanwhile into the next batch', async () => {
    const runner = controlledRunner();
    const batcher = new Batcher(runner.run, { maxBatch: 10, concurrency: 1 });
    const first = batcher.submit('a');
    const rest = ['b', 'c', 'd'].map((item) => batcher.submit(item));
    expect(runner.batches).toEqual([['a']]);
    runner.finish();
    expect(await first).toBe('A');
    await flush();
    expect(runner.batches).toEqual([['a'], ['b', 'c', 'd']]);
    runner.finish();
    expect(await Promise.all(rest)).toEqual(['B', 'C', 'D']);
  });

  it('runs up to `concurrency` batches at once and never more than maxBatch items in one', async () => {
    const runner = controlledRunner();
    const batcher = new Batcher(runner.run, { maxBatch: 2, concurrency: 2 });
    const all = ['a', 'b', 'c', 'd', 'e'].map((item) => batcher.submit(item));
    expect(runner.batches).toEqual([['a'], ['b']]);
    runner.finish();
    await flush();
    expect(runner.batches).toEqual([['a'], ['b'], ['c', 'd']]);
    runner.finish();
    await flush();
    expect(runner.batches).toEqual([['a'], ['b'], ['c', 'd'], ['e']]);
    runner.finish();
    runner.finish();
    expect(await Promise.all(all)).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('never puts two items with the same key in one batch', async () => {
    const runner = controlledRunner();
    const batcher = new Batcher(runner.run, { maxBatch: 10, concurrency: 1, keyOf: (item: string) => item[0] });
    const all = ['x0', 'a1', 'a2', 'b1', 'a3', 'b2'].map((item) => batcher.submit(item));
    runner.finish();
    await flush();
    runner.finish();
    await flush();
    runner.finish();
    await flush();
    runner.finish();
    await Promise.all(all);
    expect(runner.batches).toEqual([['x0'], ['a1', 'b1'], ['a2', 'b2'], ['a3']]);
  });

  it('refuses only the items the runner answers with an error, and every item when the runner throws', async () => {
    const batcher = new Batcher(async (items: string[]) => items.map((item) => (item.startsWith('bad') ? new Error(`refused ${item}`) : item)), { maxBatch: 10, concurrency: 1 });
    const results = await Promise.allSettled(['ok', 'bad', 'fine'].map((item) => batcher.submit(item)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failing = new Batcher<string, string>(async () => {
      throw new Error('database away');
    }, { maxBatch: 10, concurrency: 1 });
    await expect(Promise.all([failing.submit('a'), failing.submit('b')])).rejects.toThrow('database away');
  });
});
