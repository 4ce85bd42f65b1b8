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
  readonly events: string;
  readonly nodes: string;
  readonly nodeInfo: string;
  readonly holders: string;
  /** Assignment: number of holders per `p:<group>` / `a:<group>`, kept by the scripts. */
  readonly holderCounts: string;
  /** Rollouts: the control channel (small constant-size messages) and the running set. */
  readonly rollouts: string;
  readonly runningRollouts: string;
  /** Rollouts: the lease of the admin that drives the bakes (`SET PX`). */
  readonly rolloutDriver: string;

  constructor(readonly namespace: string) {
    this.groups = namespace;
    const tag = `{${namespace}}`;
    this.revision = `${tag}:revision`;
    this.events = `${tag}:events`;
    this.nodes = `${tag}:nodes`;
    this.nodeInfo = `${tag}:node-info`;
    this.holders = `${tag}:holders`;
    this.holderCounts = `${tag}:holder-counts`;
    this.rollouts = `${tag}:rollouts`;
    this.runningRollouts = `${tag}:rollouts-running`;
    this.rolloutDriver = `${tag}:rollout-driver`;
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
