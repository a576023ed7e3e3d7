import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { Redis } from 'ioredis';
import { createFailFastRedis, createRedis } from '@quire/queue';

/**
 * What collab instances tell each other about a document, over Redis pub/sub. Pub/sub may drop
 * messages (a reconnect, a slow subscriber), so an update carries its log position: an instance
 * that sees a gap, or a newer position in the log than it has applied, catches up from the log.
 */
export type FanoutEvent =
  | { kind: 'update'; seq: number; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  /** Who may do what in this document changed: every instance re-checks its connections. */
  | { kind: 'access-changed' }
  /** An instance opened the document (subscribed, about to read the log): the others tell it their log position. */
  | { kind: 'opened' }
  /** The log holds entries up to `seq`: an instance that applied less catches up from the log. */
  | { kind: 'log-position'; seq: number };

const KIND = { update: 0, awareness: 1, 'access-changed': 2, opened: 3, 'log-position': 4 } as const;

export function documentChannel(prefix: string, documentName: string): string {
  return `${prefix}:collab:doc:${documentName}`;
}

export function encodeFanoutMessage(from: string, event: FanoutEvent): Buffer {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, KIND[event.kind]);
  encoding.writeVarString(encoder, from);
  if (event.kind === 'update') {
    encoding.writeVarUint(encoder, event.seq);
    encoding.writeVarUint8Array(encoder, event.update);
  } else if (event.kind === 'awareness') {
    encoding.writeVarUint8Array(encoder, event.update);
  } else if (event.kind === 'log-position') {
    encoding.writeVarUint(encoder, event.seq);
  }
  return Buffer.from(encoding.toUint8Array(encoder));
}

export function decodeFanoutMessage(message: Uint8Array): { from: string; event: FanoutEvent } {
  const decoder = decoding.createDecoder(message);
  const kind = decoding.readVarUint(decoder);
  const from = decoding.readVarString(decoder);
  if (kind === KIND.update) return { from, event: { kind: 'update', seq: decoding.readVarUint(decoder), update: decoding.readVarUint8Array(decoder) } };
  if (kind === KIND.awareness) return { from, event: { kind: 'awareness', update: decoding.readVarUint8Array(decoder) } };
  if (kind === KIND['access-changed']) return { from, event: { kind: 'access-changed' } };
  if (kind === KIND.opened) return { from, event: { kind: 'opened' } };
  if (kind === KIND['log-position']) return { from, event: { kind: 'log-position', seq: decoding.readVarUint(decoder) } };
  throw new Error(`Unknown fan-out message kind ${kind}`);
}

/** The hub's view of fan-out: subscribe to the documents it holds, publish what happens in them. */
export interface Fanout {
  listen(listener: FanoutListener): void;
  subscribe(documentName: string): Promise<void>;
  unsubscribe(documentName: string): Promise<void>;
  /**
   * Fire and forget: a message that cannot be sent now is recovered by the others from the log.
   * Updates and awareness may be left unsent while no other instance has the document open; one
   * that opens it says so (`opened`), and is then answered with the log position.
   */
  publish(documentName: string, event: FanoutEvent): void;
  close(): Promise<void>;
}

export interface FanoutListener {
  event(documentName: string, event: FanoutEvent): void;
  /** The subscription was lost and is back: messages in between may be lost. */
  reconnected(): void;
}

/**
 * Fan-out between collab instances over Redis pub/sub, one channel per open document. Redis
 * answers a PUBLISH with the number of subscribers it reached: where that was this instance alone,
 * its updates and awareness are not published (each cost a command, its reply and its echo back to
 * this instance) until another instance subscribes and announces itself with `opened`. What it did
 * not receive meanwhile, it reads from the log when told the position (see CollabHub). Redis
 * Cluster counts only one node's subscribers, so this is for a single Redis server (as Quire uses).
 */
export class RedisFanout implements Fanout {
  private readonly subscriber: Redis;
  private readonly publisher: Redis;
  private readonly channelPrefix: string;
  private listener: FanoutListener | undefined;
  private everReady = false;
  /** Messages published in this turn of the event loop, sent together once it ends. */
  private outgoing: [channel: string, message: Buffer][] = [];
  /** Channels whose last publish reached only this instance. */
  private readonly alone = new Set<string>();
  /** Counts announcements, reconnects and channels left: a publish's reach counted before the latest of them says nothing any more. */
  private epoch = 0;

  constructor(redisUrl: string, private readonly prefix: string, private readonly instanceId: string, private readonly onError: (error: Error) => void = () => undefined) {
    this.channelPrefix = documentChannel(prefix, '');
    this.subscriber = createRedis(redisUrl);
    // Publishing while Redis is away fails at once instead of queueing without bound.
    this.publisher = createFailFastRedis(redisUrl);
    this.subscriber.on('error', this.onError);
    this.publisher.on('error', () => undefined);
    this.subscriber.on('ready', () => {
      // Announcements may have been missed while away: publish everything until told otherwise.
      this.alone.clear();
      this.epoch += 1;
      if (this.everReady) this.listener?.reconnected();
      this.everReady = true;
    });
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => this.deliver(channel.toString(), message));
  }

  listen(listener: FanoutListener): void {
    this.listener = listener;
  }

  /** Subscribes, then tells the instances that have the document open to publish to this one too. */
  async subscribe(documentName: string): Promise<void> {
    await this.subscriber.subscribe(documentChannel(this.prefix, documentName));
    this.publish(documentName, { kind: 'opened' });
  }

  async unsubscribe(documentName: string): Promise<void> {
    const channel = documentChannel(this.prefix, documentName);
    this.alone.delete(channel);
    this.epoch += 1;
    await this.subscriber.unsubscribe(channel).catch(() => undefined);
  }

  publish(documentName: string, event: FanoutEvent): void {
    const channel = documentChannel(this.prefix, documentName);
    if ((event.kind === 'update' || event.kind === 'awareness') && this.alone.has(channel)) return;
    if (this.outgoing.length === 0) queueMicrotask(() => this.sendPublished());
    this.outgoing.push([channel, encodeFanoutMessage(this.instanceId, event)]);
  }

  async close(): Promise<void> {
    this.subscriber.disconnect();
    this.publisher.disconnect();
  }

  /**
   * One pipeline, so one write to Redis (and one read of its replies), for everything a round of
   * appends relays: a write per message cost the hub more time than relaying to the clients did.
   * The replies say which channels reached nobody else.
   */
  private sendPublished(): void {
    const sent = this.outgoing;
    this.outgoing = [];
    const epoch = this.epoch;
    this.publisher
      .pipeline(sent.map(([channel, message]) => ['publish', channel, message]))
      .exec()
      .then((replies) => {
        // The count includes this instance's own subscription only while its subscriber is connected.
        if (this.epoch !== epoch || this.subscriber.status !== 'ready') return;
        replies?.forEach(([error, reached], i) => {
          const channel = sent[i][0];
          if (error || typeof reached !== 'number') return;
          // Reached only this instance's own subscription.
          if (reached <= 1) this.alone.add(channel);
          else this.alone.delete(channel);
        });
      })
      .catch(() => undefined);
  }

  private deliver(channel: string, message: Buffer): void {
    if (!channel.startsWith(this.channelPrefix)) return;
    let decoded: ReturnType<typeof decodeFanoutMessage>;
    try {
      decoded = decodeFanoutMessage(message);
    } catch (error) {
      this.onError(error as Error);
      return;
    }
    if (decoded.from === this.instanceId) return;
    if (decoded.event.kind === 'opened') {
      this.alone.delete(channel);
      this.epoch += 1;
    }
    this.listener?.event(channel.slice(this.channelPrefix.length), decoded.event);
  }
}

/**
 * For processes that change documents or access without serving them (the API): tells the collab
 * instances after the change committed. A lost announcement is made up for by the instances'
 * periodic checks (the log position every second, access every `accessRecheckMs`).
 */
export class CollabAnnouncer {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly from = 'api') {}

  async accessChanged(documentName: string): Promise<void> {
    await this.redis.publish(documentChannel(this.prefix, documentName), encodeFanoutMessage(this.from, { kind: 'access-changed' }));
  }

  async updateAppended(documentName: string, seq: number, update: Uint8Array): Promise<void> {
    await this.redis.publish(documentChannel(this.prefix, documentName), encodeFanoutMessage(this.from, { kind: 'update', seq, update }));
  }
}
