/** The message patterns of the admin microservice (DESIGN §8): the contract of its `ClientProxy` users. */
export const AdminPatterns = {
  listGroups: 'rcc.groups.list',
  getGroup: 'rcc.groups.get',
  publishGroup: 'rcc.groups.publish',
  deleteGroup: 'rcc.groups.delete',
  listNodes: 'rcc.nodes.list',
  startRollout: 'rcc.rollouts.start',
  getRollout: 'rcc.rollouts.get',
  promoteRollout: 'rcc.rollouts.promote',
  abortRollout: 'rcc.rollouts.abort',
} as const;

/** The namespace whose admins answer the patterns under their plain names (DESIGN §8). */
const PLAIN_NAMESPACE = 'rcc::config::redis_config_center';

/**
 * The channel a pattern is served on by the admins of `namespace`: the plain name in the default
 * namespace, `<pattern>@<namespace>` in any other, so that admins of two namespaces on one Redis
 * never both answer. The suffix keeps the channel inside the ACL's `&rcc.groups.*` grants.
 *
 * @example patternChannel('rcc.groups.list', 'staging') === 'rcc.groups.list@staging'
 */
export function patternChannel(pattern: string, namespace: string): string {
  return namespace === PLAIN_NAMESPACE ? pattern : `${pattern}@${namespace}`;
}
