import { Injectable, Logger } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { Observable, Subject } from 'rxjs';
import { RedisConfigConnection } from './redis-config-connection';
import { NamespaceEvent, parseNamespaceEvent } from '../wire/namespace-event';
import { ConfigKeys } from '../wire/config-keys';
import type { RedisClient } from '../wire/redis-scripts';
import { PubSubMode, pubSubModeOf } from './pubsub-mode';

/** Who asks for group channels: the union of both is subscribed. */
export type ChannelOwner = 'own' | 'shared';

/** How long a decision waits for a subscription before going on (the refresh is the safety net). */
const SUBSCRIBE_BOUND_MS = 2000;
/** One attempt to restore a Cluster's subscriptions; then it is tried again. */
const RESTORE_ATTEMPT_MS = 1000;
/** Pause between two attempts (growing by this much, up to RESTORE_MAX_PAUSE_MS). */
const RESTORE_PAUSE_MS = 100;
const RESTORE_MAX_PAUSE_MS = 1000;
/**
 * Events of an ioredis Cluster (shardedSubscribers) after which the shard channels may be gone:
 * a subscriber connection's error (among them the unsolicited `sunsubscribe` Redis sends when its
 * node loses the slot, which ioredis 5 reports as a "Command queue state error") or end, and a
 * subscriber group rebuilt after a topology change.
 */
const CLUSTER_TROUBLE = ['nodeError', '-node', 'subscribersReady'] as const;

/**
 * The node's subscriptions (docs/PROTOCOL.md): the channels of the groups it holds or shares
 * (`follow`), the namespace's control channel, `{ns}:places` while it waits for a place
 * (`awaitPlaces`), and the plain channels others ask for (`alsoSubscribe`: rollouts). Every message is parsed and checked once here, against the channel it came
 * on, and handed to the follower (its groups) and the assigner (places) as typed events.
 */
@Injectable()
export class NamespaceEvents {
  private readonly logger = new Logger('RedisConfig');
  private readonly parsed = new Subject<NamespaceEvent>();
  private readonly resubscribed = new Subject<void>();
  private readonly wanted: Record<ChannelOwner, ReadonlySet<string>> = {
    own: new Set(),
    shared: new Set(),
  };
  /** Group channels subscribed (or being subscribed), by group name. */
  private readonly subscribed = new Set<string>();
  private placesSubscribed = false;
  private mode: Promise<PubSubMode> | null = null;
  private controlSubscribed: Promise<void> | null = null;
  private listening = false;
  /** Plain channels joined in one SUBSCRIBE at `listen()` (rollouts): set before it. */
  private readonly alsoChannels: string[] = [];
  private readyOnce = false;
  /** A Cluster restore is running; `restoreAgain`: trouble came meanwhile (run once more). */
  private restoring = false;
  private restoreAgain = false;
  /** The valid events of every channel the node hears, in the order Redis sent them. */
  readonly events$: Observable<NamespaceEvent> = this.parsed.asObservable();
  /**
   * The subscriber connection came back and its subscriptions are restored, or a subscription
   * ended after `follow` stopped waiting for it: a change published meanwhile may have been
   * missed, so the node reads its groups again.
   */
  readonly resubscribed$: Observable<void> = this.resubscribed.asObservable();

  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {}

  /**
   * Another plain channel for the same subscriber connection, all joined in one SUBSCRIBE at
   * `listen()` (a second SUBSCRIBE on a connecting Cluster subscriber dropped the first).
   */
  alsoSubscribe(channel: string): void {
    this.alsoChannels.push(channel);
  }

  /** Starts hearing (once): the plain channels now, the others once the mode is known. */
  listen(): void {
    if (this.listening) return;
    this.listening = true;
    const subscriber = this.connection.subscriber;
    const onMessage = (channel: string, message: string) => this.onMessage(channel, message);
    subscriber.on('message', onMessage);
    subscriber.on('smessage', onMessage);
    if (subscriber instanceof Cluster) {
      for (const trouble of CLUSTER_TROUBLE)
        subscriber.on(trouble, () => this.onClusterTrouble(subscriber));
      // The subscriber's own view of the slots can stay stale: ioredis 6 answers the unsolicited
      // sunsubscribe of a failover with a slots refresh and no event, ioredis merges a refresh asked
      // for while one is running into that one (which may read the topology from before the
      // failover), and no timed refresh is on by default. The command client refreshes on every MOVED
      // (a heartbeat meets one within a beat of a failover): when the two views then disagree
      // about a master, the subscriptions are restored (which refreshes the subscriber's view).
      const client = this.connection.client;
      if (client instanceof Cluster)
        client.on('refresh', () => {
          if (mastersDiffer(client, subscriber)) this.onClusterTrouble(subscriber);
        });
    } else {
      subscriber.on('ready', () => {
        if (!this.readyOnce) {
          this.readyOnce = true;
          return;
        }
        void this.restore(subscriber);
      });
    }
    if (this.alsoChannels.length === 0) return;
    subscriber.subscribe(...this.alsoChannels).catch((error: Error) => {
      this.logger.warn(`Cannot subscribe to ${this.alsoChannels.join(', ')}: ${error.message}`);
    });
  }

  /**
   * Subscribes to exactly the channels of `groups` for `owner` (the union with the other owner's),
   * and resolves once the new ones are subscribed (at most SUBSCRIBE_BOUND_MS): true when a channel
   * was added, so the caller reads the group after it (no change can fall in between).
   */
  async follow(owner: ChannelOwner, groups: Iterable<string>): Promise<boolean> {
    this.wanted[owner] = new Set(groups);
    const mode = await this.pubSubMode();
    const union = new Set([...this.wanted.own, ...this.wanted.shared]);
    const added = [...union].filter((group) => !this.subscribed.has(group));
    const removed = [...this.subscribed].filter((group) => !union.has(group));
    for (const group of added) this.subscribed.add(group);
    for (const group of removed) this.subscribed.delete(group);
    const work: Promise<unknown>[] = [this.subscribeControl(mode)];
    if (added.length > 0)
      work.push(
        this.subscribe(
          mode,
          added.map((g) => this.keys.groupEvents(g)),
        ),
      );
    if (removed.length > 0)
      void this.unsubscribe(
        mode,
        removed.map((g) => this.keys.groupEvents(g)),
      );
    await bounded(Promise.all(work), () => this.resubscribed.next());
    return added.length > 0;
  }

  /** Hears `{ns}:places` while the node waits for a place; resolves once subscribed (bounded). */
  async awaitPlaces(waiting: boolean): Promise<boolean> {
    if (waiting === this.placesSubscribed) return false;
    this.placesSubscribed = waiting;
    const mode = await this.pubSubMode();
    if (waiting) {
      await bounded(this.subscribe(mode, [this.keys.places]), () => this.resubscribed.next());
    } else void this.unsubscribe(mode, [this.keys.places]);
    return waiting;
  }

  /** The pub/sub of this namespace's server, found once (the command client must be ready). */
  pubSubMode(): Promise<PubSubMode> {
    this.mode ??= pubSubModeOf(this.connection.client, this.keys).catch((error: Error) => {
      this.mode = null;
      throw error;
    });
    return this.mode;
  }

  /**
   * After a reconnect: every subscription again, then `resubscribed$`. Not left to ioredis's
   * auto-resubscribe (off on our standalone / Sentinel subscriber): the SUBSCRIBEs it sends carry
   * no rejection handler, so a connection closed again before they answered (a shutdown, a second
   * outage) was an unhandled rejection (redis/ioredis#2187). A Cluster is `restoreCluster`'s.
   */
  private async restore(subscriber: RedisClient): Promise<void> {
    try {
      const mode = await this.pubSubMode();
      await Promise.all([
        ...(this.alsoChannels.length > 0 ? [subscriber.subscribe(...this.alsoChannels)] : []),
        ...this.resubscribeAll(mode),
      ]);
      this.resubscribed.next();
    } catch (error) {
      // Dropped again meanwhile: the next 'ready' restores them.
      this.logger.debug(`Subscriptions not restored: ${(error as Error).message}`);
    }
  }

  /** The SUBSCRIBEs (or SSUBSCRIBEs) of what the node hears besides the plain `alsoChannels`. */
  private resubscribeAll(mode: PubSubMode): Promise<unknown>[] {
    const subscriber = this.connection.subscriber;
    const channels = [
      ...(this.controlSubscribed ? [this.keys.control] : []),
      ...[...this.subscribed].map((group) => this.keys.groupEvents(group)),
      ...(this.placesSubscribed ? [this.keys.places] : []),
    ];
    if (channels.length === 0) return [];
    // One command: every channel is in the namespace's slot. Called in an async function, so that
    // a throw of the Cluster's routing becomes a rejection.
    const send = async () =>
      mode === 'sharded' ? subscriber.ssubscribe(...channels) : subscriber.subscribe(...channels);
    return [send()];
  }

  private onClusterTrouble(subscriber: Cluster): void {
    if (!this.controlSubscribed && this.subscribed.size === 0 && !this.placesSubscribed) return;
    if (this.restoring) {
      this.restoreAgain = true;
      return;
    }
    void this.restoreCluster(subscriber);
  }

  /**
   * On a Cluster, ioredis 5 does not always bring shard channels back: when the slot's master hands
   * over (CLUSTER FAILOVER, a slot migration), Redis 7 ends the subscriptions with an unsolicited
   * `sunsubscribe` on a connection that stays open; ioredis takes it for a reply it did not expect
   * and neither refreshes its slots nor resubscribes. After a master dies it does resubscribe on
   * the new one, once elected, but without a word and without waiting for the answer. So, on any
   * trouble of the subscribers: the slots are read again, every channel is SSUBSCRIBEd again (routed
   * to the slot's master now) until Redis acknowledges it, the command client is checked to reach
   * the slot, and then `resubscribed$` makes the node read its groups (a change published while it
   * heard nothing is read then). Tried again, with a pause, until it succeeds or the subscriber ends.
   */
  private async restoreCluster(subscriber: Cluster): Promise<void> {
    this.restoring = true;
    try {
      for (let attempt = 1; !ended(subscriber); attempt++) {
        this.restoreAgain = false;
        if (await this.restoreClusterOnce(subscriber)) {
          this.resubscribed.next();
          if (!this.restoreAgain) return;
          attempt = 0; // trouble again while restoring: once more, after a pause
        }
        await pause(Math.min(RESTORE_PAUSE_MS * Math.max(attempt, 1), RESTORE_MAX_PAUSE_MS));
      }
    } finally {
      this.restoring = false;
    }
  }

  private async restoreClusterOnce(subscriber: Cluster): Promise<boolean> {
    try {
      await within(
        new Promise<void>((resolve) => subscriber.refreshSlotsCache(() => resolve())),
        RESTORE_ATTEMPT_MS,
      );
      const mode = await within(this.pubSubMode(), RESTORE_ATTEMPT_MS);
      // An SSUBSCRIBE answered with MOVED (slots not yet refreshed) never settles in ioredis 5:
      // bounded. The read proves the command client reaches the slot's master for the catch-up.
      await within(
        Promise.all([
          ...this.resubscribeAll(mode),
          this.connection.client.exists(this.keys.protocol),
        ]),
        RESTORE_ATTEMPT_MS,
      );
      return true;
    } catch (error) {
      this.logger.debug(`Subscriptions not restored yet: ${(error as Error).message}`);
      return false;
    }
  }

  private subscribeControl(mode: PubSubMode): Promise<void> {
    this.controlSubscribed ??= this.subscribe(mode, [this.keys.control]).catch(() => {
      this.controlSubscribed = null;
    });
    return this.controlSubscribed;
  }

  private async subscribe(mode: PubSubMode, channels: string[]): Promise<void> {
    const subscriber = this.connection.subscriber;
    try {
      if (mode === 'sharded') await subscriber.ssubscribe(...channels);
      else await subscriber.subscribe(...channels);
    } catch (error) {
      this.logger.warn(`Cannot subscribe to ${channels.join(', ')}: ${(error as Error).message}`);
      throw error;
    }
  }

  private async unsubscribe(mode: PubSubMode, channels: string[]): Promise<void> {
    const subscriber = this.connection.subscriber;
    try {
      if (mode === 'sharded') await subscriber.sunsubscribe(...channels);
      else await subscriber.unsubscribe(...channels);
    } catch {
      // A channel left subscribed only brings messages the node ignores.
    }
  }

  /** Checks a message against its channel: each channel carries its own kinds of events only. */
  private onMessage(channel: string, message: string): void {
    const event = parseNamespaceEvent(message);
    if (!event) return;
    if (channel === this.keys.control) {
      if (event.type === 'created') this.parsed.next(event);
    } else if (channel === this.keys.places) {
      if (event.type === 'released') this.parsed.next(event);
    } else if (
      channel === this.keys.groupEvents(event.group) &&
      this.subscribed.has(event.group) &&
      event.type !== 'created' &&
      event.type !== 'released'
    ) {
      this.parsed.next(event);
    }
  }
}

/**
 * Waits for `work` at most SUBSCRIBE_BOUND_MS. When it ends later (a slow subscriber connection,
 * a loaded machine), `late` runs then: the caller read its groups before the channel was heard,
 * so a change published in between may have been missed and must be caught up.
 */
function bounded(work: Promise<unknown>, late: () => void): Promise<void> {
  return new Promise((resolve) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      resolve();
    }, SUBSCRIBE_BOUND_MS);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        if (timedOut) late();
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}

/** The work's result, or a rejection after `ms`. */
function within<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Whether two clients of one Cluster see a different master for some slot. */
function mastersDiffer(a: Cluster, b: Cluster): boolean {
  if (a.slots.length !== b.slots.length) return true;
  for (let slot = 0; slot < a.slots.length; slot++) {
    if (a.slots[slot]?.[0] !== b.slots[slot]?.[0]) return true;
  }
  return false;
}

/** Closed for good: by `quit()` / `disconnect()`, or after giving up reconnecting. */
function ended(client: Cluster): boolean {
  return client.status === 'end' || client.status === 'disconnecting' || client.status === 'close';
}
