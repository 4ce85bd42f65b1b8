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
