/**
 * Coalesces concurrent requests into batches, as a database's group commit does: while
 * `concurrency` batches run, requests that arrive wait and go together in the next one. An idle
 * batcher starts a batch at once, so a lone request waits for nothing; under load a batch holds
 * whatever arrived while the previous ones ran, and each batch's fixed costs (round trips to the
 * database, a commit, a job) are shared by all its requests.
 *
 * `run` answers each item of a batch in order, with a result or an Error for that item alone. Two
 * items with the same `keyOf` never share a batch (the later one waits for the next), so a batch
 * can treat its keys as distinct; when `run` itself throws, every item of the batch gets the error.
 */
export class Batcher<T, R> {
  private readonly waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private running = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<(R | Error)[]>,
    private readonly options: { maxBatch: number; concurrency: number; keyOf?: (item: T) => string },
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.startBatches();
    });
  }

  private startBatches(): void {
    while (this.running < this.options.concurrency && this.waiting.length) void this.runBatch(this.takeBatch());
  }

  private takeBatch(): Batcher<T, R>['waiting'] {
    const { keyOf, maxBatch } = this.options;
    if (!keyOf) return this.waiting.splice(0, maxBatch);
    const keys = new Set<string>();
    const batch: Batcher<T, R>['waiting'] = [];
    const left: Batcher<T, R>['waiting'] = [];
    for (const entry of this.waiting) {
      const key = keyOf(entry.item);
      if (batch.length < maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(entry);
      } else left.push(entry);
    }
    this.waiting.splice(0, this.waiting.length, ...left);
    return batch;
  }

  private async runBatch(batch: Batcher<T, R>['waiting']): Promise<void> {
    this.running += 1;
    let results: (R | Error)[] | undefined;
    let failure: unknown;
    try {
      results = await this.run(batch.map((entry) => entry.item));
    } catch (error) {
      failure = error;
    }
    // The next batch starts before this one is answered: answering runs each caller's continuation
    // (for a vote, the rest of its GraphQL request and the HTTP response), and the next batch's
    // round trip to the database can be on its way meanwhile.
    this.running -= 1;
    this.startBatches();
    batch.forEach((entry, i) => {
      const result = results ? results[i] : failure;
      if (results && !(result instanceof Error)) entry.resolve(result as R);
      else entry.reject(result);
    });
  }
}
