import { Injectable, Logger } from '@nestjs/common';
import { Observable, Subject } from 'rxjs';
import { RedisConfigConnection } from './redis-config-connection';
import { NamespaceEvent, parseNamespaceEvent } from '../wire/namespace-event';
import { ConfigKeys } from '../wire/config-keys';

/**
 * The node's subscription to its namespace's events channel: every message is parsed and checked
 * once here, and handed to the follower (its own group) and the assigner (places) as typed events.
 */
@Injectable()
export class NamespaceEvents {
  private readonly logger = new Logger('RedisConfig');
  private readonly parsed = new Subject<NamespaceEvent>();
  private listening = false;
  /** Channels joined in the same SUBSCRIBE (rollouts): set before `listen()`. */
  private readonly alsoChannels: string[] = [];
  /** The channel's valid events, in the order Redis sent them. */
  readonly events$: Observable<NamespaceEvent> = this.parsed.asObservable();

  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {}

  /** Another channel for the same subscriber connection, joined with the events channel. */
  alsoSubscribe(channel: string): void {
    this.alsoChannels.push(channel);
  }

  /** Subscribes the node's subscriber connection (once; ioredis restores it after a reconnect). */
  listen(): void {
    if (this.listening) return;
    this.listening = true;
    const subscriber = this.connection.subscriber;
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.keys.events) return;
      const event = parseNamespaceEvent(message);
      if (event) this.parsed.next(event);
    });
    subscriber.subscribe(this.keys.events, ...this.alsoChannels).catch((error: Error) => {
      this.logger.warn(`Cannot subscribe to change events: ${error.message}`);
    });
  }
}
