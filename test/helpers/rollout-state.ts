import type { RolloutState } from '@rcc/redis-config/publisher';

/**
 * A rollout's state as the begin script stores it, under `id`, of group `g` from version 0 (tests
 * spread their changes over it).
 */
export const rolloutStateOf = (id: string): RolloutState => ({
  id,
  group: 'g',
  baseVersion: 0,
  version: 1,
  status: 'verifying',
  step: 0,
  steps: [{ percent: 50, bakeMs: 10 }],
  startedAtMs: 1,
  stepStartedAtMs: 1,
  finishedAtMs: null,
  published: false,
  revertedVersion: null,
  author: null,
  comment: null,
  outcome: null,
});
