import { Injectable } from '@nestjs/common';
import { RedisConfigConnection } from '../connection/redis-config-connection';
import { ConfigKeys } from '../store/config-keys';

/** What a node knows when it asks which group to hold. */
export interface AssignmentContext {
  nodeId: string;
  /** The group the node asks for (`DEFAULT_CONFIG_GROUP`). */
  requested: string;
  /** The group it holds now, if any. */
  held: string | null;
}

/**
 * Which group a node should hold. `group: null` with `full: true` means every group of the pool
 * is at capacity (the node must hold none); with `full: false`, that no group exists at all (the
 * node keeps serving its last good group).
 */
export interface GroupDecision {
  group: string | null;
  pinned: boolean;
  full: boolean;
}

/**
 * The seam between a node and the placement policy. The node asks `decide` whenever its group may
 * have to change (start, reconnect, deletion, a new group) and calls `release` when it stops.
 */
export abstract class GroupAssigner {
  abstract decide(context: AssignmentContext): Promise<GroupDecision>;

  /** Gives up the node's place (clean shutdown). */
  async release(): Promise<void> {}
}

/** The old project's behaviour: a node holds the group it asks for, when that group exists. */
@Injectable()
export class RequestedGroupAssigner extends GroupAssigner {
  constructor(
    private readonly connection: RedisConfigConnection,
    private readonly keys: ConfigKeys,
  ) {
    super();
  }

  async decide({ requested }: AssignmentContext): Promise<GroupDecision> {
    const exists = await this.connection.client.hexists(this.keys.groups, requested);
    return exists
      ? { group: requested, pinned: true, full: false }
      : { group: null, pinned: false, full: false };
  }
}
