import { Logger } from '@nestjs/common';
import { RedisOptions, ServerRedis } from '@nestjs/microservices';
import type { Redis } from 'ioredis';

/** Claims a message for this replica; true when no other replica claimed it first. */
export type MessageClaim = (id: string) => Promise<boolean>;

/** How long a claimed message id is kept: far longer than a delivery to every replica takes. */
export const CLAIM_TTL_MS = 60_000;

/** Longest message id taken: the transport's ids are UUIDs; anything else is not a caller of ours. */
const MAX_ID_LENGTH = 128;

/**
 * Nest's Redis transport, handling each message on exactly one admin replica.
 *
 * The transport is pub/sub: every admin subscribed to a pattern receives every message, and each
 * would apply it and answer (two admins turned one `rcc.groups.publish` into two versions). Before
 * handling a request, a replica claims its id in Redis (`SET NX PX`, under the namespace's hash
 * tag); the replica that loses the claim drops the message without a word, so the caller gets one
 * answer from one replica. A message whose claim cannot be made (Redis unreachable) is not handled:
 * the caller times out and may retry, which is safe; handling it anyway could apply it twice.
 */
export class SingleReplicaRedisServer extends ServerRedis {
  private readonly claimLogger = new Logger('AdminMessages');
  /** Messages this replica handled and left to another one: for tests and metrics. */
  readonly counts = { handled: 0, declined: 0 };

  /**
   * @param claim - the claim of a message id for this replica
   * @param maxMessageBytes - the largest message handled (`ADMIN_BODY_LIMIT`, as over HTTP); a
   * larger one is answered 413 by the replica that claimed it, and never parsed further
   * @param channelSuffix - what the namespace adds to every pattern's channel ('' in the default
   * namespace; see `patternChannel`): admins of another namespace never hear these messages
   */
  constructor(
    options: Required<RedisOptions>['options'],
    private readonly claim: MessageClaim,
    private readonly maxMessageBytes: number,
    private readonly channelSuffix = '',
  ) {
    super(options);
  }

  override getRequestPattern(pattern: string): string {
    return `${pattern}${this.channelSuffix}`;
  }

  /** Called with the pattern (the suffix is taken off on arrival): the caller's reply channel. */
  override getReplyPattern(pattern: string): string {
    return `${pattern}${this.channelSuffix}.reply`;
  }

  override async handleMessage(
    heardOn: string,
    buffer: string,
    pub: Redis,
    pattern: string,
  ): Promise<unknown> {
    // Nest finds the handler by the pattern's own name.
    const channel =
      this.channelSuffix && heardOn.endsWith(this.channelSuffix)
        ? heardOn.slice(0, -this.channelSuffix.length)
        : heardOn;
    const named = pattern === heardOn ? channel : pattern;
    const id = messageId(buffer);
    // An event (no id) expects no answer and changes nothing here: Nest handles it as usual.
    if (id === undefined) return super.handleMessage(channel, buffer, pub, named);
    let mine: boolean;
    try {
      mine = id !== null && (await this.claim(id));
    } catch (error) {
      this.claimLogger.warn(
        `A message on ${channel} was not handled: its claim failed (${(error as Error).message})`,
      );
      return;
    }
    if (!mine) {
      this.counts.declined++;
      return;
    }
    this.counts.handled++;
    if (Buffer.byteLength(buffer) > this.maxMessageBytes) {
      const err = {
        statusCode: 413,
        error: 'Payload Too Large',
        message: `The message is larger than ${this.maxMessageBytes} bytes (ADMIN_BODY_LIMIT)`,
      };
      return pub.publish(
        this.getReplyPattern(channel),
        JSON.stringify({ id, err, isDisposed: true }),
      );
    }
    return super.handleMessage(channel, buffer, pub, named);
  }
}

/** The packet's id: undefined for an event, null for an id we refuse to claim. */
function messageId(buffer: string): string | null | undefined {
  let packet: unknown;
  try {
    packet = JSON.parse(buffer);
  } catch {
    return undefined; // not JSON: Nest's own handling answers nothing to it either
  }
  if (typeof packet !== 'object' || packet === null) return undefined;
  const id = (packet as { id?: unknown }).id;
  if (id === undefined) return undefined;
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_LENGTH ? id : null;
}

/** The claim made with `client`: `SET {ns}:rpc-claim:<id> 1 NX PX`, one round trip. */
export function redisMessageClaim(client: Pick<Redis, 'set'>, namespace: string): MessageClaim {
  return async (id) =>
    (await client.set(`{${namespace}}:rpc-claim:${id}`, '1', 'PX', CLAIM_TTL_MS, 'NX')) === 'OK';
}
