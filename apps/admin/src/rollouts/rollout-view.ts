import type { RolloutView } from './dto/rollout.view';
import type { RolloutReading } from './rollout.service';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/** The REST/CLI/console view of a stored rollout (its candidate under `config`, to be masked). */
export function rolloutView({
  state,
  candidate,
  canaryNodes,
  problems,
  nodes,
}: RolloutReading): RolloutView {
  const bake = state.status === 'canary' ? state.steps[state.step - 1]?.bakeMs : undefined;
  const canaries = new Set(canaryNodes);
  return {
    id: state.id,
    group: state.group,
    baseVersion: state.baseVersion,
    version: state.version,
    status: state.status,
    step: state.step,
    steps: state.steps,
    canaryNodes,
    problems: problems.map(({ nodeId, reason, atMs }) => ({ nodeId, reason, at: iso(atMs) })),
    config: candidate,
    startedAt: new Date(state.startedAtMs).toISOString(),
    stepStartedAt: iso(state.stepStartedAtMs),
    finishedAt: iso(state.finishedAtMs),
    stepEndsAt:
      bake === undefined || state.stepStartedAtMs === null
        ? null
        : iso(state.stepStartedAtMs + bake),
    revertedVersion: state.revertedVersion,
    author: state.author,
    comment: state.comment,
    outcome: state.outcome,
    nodes: nodes.map((node) => ({
      id: node.id,
      version: node.version,
      canary: canaries.has(node.id) && state.status === 'canary',
    })),
  };
}
