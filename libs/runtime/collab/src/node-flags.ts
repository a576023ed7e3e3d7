/**
 * Node flags of every process that serves collab: the collab image (docker/Dockerfile), `npm run
 * quire` (all services in one process), the bench and the tests' collab processes.
 *
 * A semi-space of up to 64 MB (Node's default is 16): the p99 relay latency is made by garbage
 * collection pauses, which stop the event loop while updates wait to be read, to be stored and to
 * be relayed. With 16 MB the young generation filled every ~0.35 s at 1,000 updates/s, each
 * scavenge paused 4–5 ms (1.3 % of the time, more than a p99 can hide), and what merely lived
 * through two of them (updates in flight, recent document content) was promoted, so the old
 * generation grew ~2.5 MB/s and a full mark-compact with 20–40 ms of main-thread marking came
 * every 3–6 s. With 64 MB, scavenges come every ~2 s (7–10 ms each, 0.4 % of the time) and
 * promotion is a third of that. The young generation grows to the maximum only under such
 * allocation; the cost is up to ~100 MB more resident memory under load.
 */
export const COLLAB_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];
