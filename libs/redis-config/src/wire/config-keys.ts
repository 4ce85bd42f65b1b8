/**
 * Every Redis key and channel of one namespace (DESIGN §4), built in one place.
 *
 * The groups hash is the namespace itself (the old project's key). Every other key carries the
 * namespace as a Redis Cluster hash tag: CRC16 of `{ns}:x` is CRC16 of `ns`, which is also the
 * slot of the bare hash key, so one Lua script may touch all of them, even on a cluster.
 */
export class ConfigKeys {
  readonly groups: string;
  readonly revision: string;
  /** Prefix of the group channels (`groupEvents`): `{ns}:events:`. */
  readonly groupChannels: string;
  /** Constant-size messages for every node of the namespace (`created`). */
  readonly control: string;
  /** Constant-size `released` messages, for the nodes waiting for a place. */
  readonly places: string;
  /** Hash of the namespace's wire settings (`pubsub`: `plain` forces plain pub/sub). */
  readonly protocol: string;
  /** Hash: group → SHA-1 of its stored JSON and when it was last known to match (Redis ms). */
  readonly digests: string;
  readonly nodes: string;
  readonly nodeInfo: string;
  readonly holders: string;
  /** Assignment: number of holders per `p:<group>` / `a:<group>`, kept by the scripts. */
  readonly holderCounts: string;
  /** Placement index: sorted set, every existing group → its number of live holders. */
  readonly groupLoads: string;
  /** Placement index: sorted set, the groups holding a pool-placed node → the same load. */
  readonly movableLoads: string;
  /** Placement index: hash of what it was built from (`holders` counted). */
  readonly placementIndex: string;
  /** Rollouts: the control channel (small constant-size messages) and the running set. */
  readonly rollouts: string;
  readonly runningRollouts: string;
  /** Rollouts: the lease of the admin that drives the bakes (`SET PX`). */
  readonly rolloutDriver: string;

  constructor(readonly namespace: string) {
    this.groups = namespace;
    const tag = `{${namespace}}`;
    this.revision = `${tag}:revision`;
    this.groupChannels = `${tag}:events:`;
    this.control = `${tag}:control`;
    this.places = `${tag}:places`;
    this.protocol = `${tag}:protocol`;
    this.digests = `${tag}:digests`;
    this.nodes = `${tag}:nodes`;
    this.nodeInfo = `${tag}:node-info`;
    this.holders = `${tag}:holders`;
    this.holderCounts = `${tag}:holder-counts`;
    this.groupLoads = `${tag}:group-loads`;
    this.movableLoads = `${tag}:movable-loads`;
    this.placementIndex = `${tag}:placement-index`;
    this.rollouts = `${tag}:rollouts`;
    this.runningRollouts = `${tag}:rollouts-running`;
    this.rolloutDriver = `${tag}:rollout-driver`;
  }

  /** The channel of one group's events, heard by the nodes that hold or share it. */
  groupEvents(group: string): string {
    return `${this.groupChannels}${group}`;
  }

  /** A list of the group's versions, newest first (each a full record JSON). */
  history(group: string): string {
    return `{${this.namespace}}:history:${group}`;
  }

  /** The group's latest rollout: hash `state` (JSON), `candidate` (JSON), `canaries`, `problems`. */
  rollout(group: string): string {
    return `{${this.namespace}}:rollout:${group}`;
  }

  /** A rollout's verification answers: hash node id → `{"ok":true}` or `{"ok":false,"reason":…}`. */
  rolloutAnswers(id: string): string {
    return `{${this.namespace}}:rollout-answers:${id}`;
  }
}
