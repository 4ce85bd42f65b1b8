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

/**
 * The node's subscriptions (docs/PROTOCOL.md): the channels of the groups it holds or shares
 * (`follow`), the namespace's control channel, `{ns}:places` while it waits for a place
 * (`awaitPlaces`), and the previous release's `{ns}:events` (old publishers may still write during
 * a rolling upgrade). Every message is parsed and checked once here, against the channel it came
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
  /** Channels joined in the same SUBSCRIBE as the legacy channel (rollouts): set before `listen()`. */
  private readonly alsoChannels: string[] = [];
  private readyOnce = false;
  /** The valid events of every channel the node hears, in the order Redis sent them. */
  readonly events$: Observable<NamespaceEvent> = this.parsed.asObservable();
  /**
   * The subscriber connection came back and its subscriptions are restored: a change published
   * while it was away was missed, so the node reads its groups again.
   */
  readonly resubscribed$: Observable<void> = this.resubscribed.asObservable();

  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {}

  /**
   * Another plain channel for the same subscriber connection, joined in the legacy channel's
   * SUBSCRIBE (a second SUBSCRIBE on a connecting Cluster subscriber dropped the first).
   */
  alsoSubscribe(channel: string): void {
    this.alsoChannels.push(channel);
  }

  /** Starts hearing (once): the legacy channel now, the others once the mode is known. */
  listen(): void {
    if (this.listening) return;
    this.listening = true;
    const subscriber = this.connection.subscriber;
    const onMessage = (channel: string, message: string) => this.onMessage(channel, message);
    subscriber.on('message', onMessage);
    subscriber.on('smessage', onMessage);
    subscriber.on('ready', () => {
      if (!this.readyOnce) {
        this.readyOnce = true;
        return;
      }
      void this.restore(subscriber);
    });
    subscriber.subscribe(this.keys.events, ...this.alsoChannels).catch((error: Error) => {
      this.logger.warn(`Cannot subscribe to change events: ${error.message}`);
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
    await bounded(Promise.all(work));
    return added.length > 0;
  }

  /** Hears `{ns}:places` while the node waits for a place; resolves once subscribed (bounded). */
  async awaitPlaces(waiting: boolean): Promise<boolean> {
    if (waiting === this.placesSubscribed) return false;
    this.placesSubscribed = waiting;
    const mode = await this.pubSubMode();
    if (waiting) await bounded(this.subscribe(mode, [this.keys.places]));
    else void this.unsubscribe(mode, [this.keys.places]);
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
   * outage) was an unhandled rejection (redis/ioredis#2187). A Cluster's sharded subscribers
   * restore themselves: a PING then answers after them.
   */
  private async restore(subscriber: RedisClient): Promise<void> {
    try {
      if (subscriber instanceof Cluster) {
        await subscriber.ping();
      } else {
        const mode = await this.pubSubMode();
        const groups = [...this.subscribed].map((group) => this.keys.groupEvents(group));
        await Promise.all([
          subscriber.subscribe(this.keys.events, ...this.alsoChannels),
          this.controlSubscribed ? this.subscribe(mode, [this.keys.control]) : undefined,
          groups.length > 0 ? this.subscribe(mode, groups) : undefined,
          this.placesSubscribed ? this.subscribe(mode, [this.keys.places]) : undefined,
        ]);
      }
      this.resubscribed.next();
    } catch (error) {
      // Dropped again meanwhile: the next 'ready' restores them.
      this.logger.debug(`Subscriptions not restored: ${(error as Error).message}`);
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
    if (channel === this.keys.events) {
      if (event.type !== 'created' && event.type !== 'rebalance') this.parsed.next(event);
    } else if (channel === this.keys.control) {
      if (event.type === 'created') this.parsed.next(event);
    } else if (channel === this.keys.places) {
      if (event.type === 'released' && event.loads === null) this.parsed.next(event);
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

function bounded(work: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, SUBSCRIBE_BOUND_MS);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      () => {
        clearTimeout(timer);
        resolve();
      },
    );
  });
}
