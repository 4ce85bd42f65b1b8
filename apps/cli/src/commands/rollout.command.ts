import { AdminClient } from '../admin-client';
import { CliError, EXIT_INVALID_INPUT } from '../cli-error';
import { readJsonInput } from '../json-input';
import { Progress } from '../progress';

/** The rollout view of the admin (the fields the CLI shows). */
export interface RolloutSummary {
  id: string;
  group: string;
  baseVersion: number;
  version: number;
  status: string;
  step: number;
  steps: { percent: number; bakeMs: number }[];
  canaryNodes: string[];
  problems: { nodeId: string; reason: string; at: string | null }[];
  stepEndsAt: string | null;
  outcome: string | null;
}

const RUNNING = ['verifying', 'canary'];
const POLL_MS = 250;

/** `--step 34:60000`: percent and bake time (ms). */
export function parseStep(raw: string, previous: { percent: number; bakeMs: number }[] = []) {
  const match = /^(\d{1,3}):(\d{1,9})$/.exec(raw.trim());
  if (!match)
    throw new CliError(
      `--step "${raw}": expected <percent>:<bakeMs>, e.g. 34:60000`,
      EXIT_INVALID_INPUT,
    );
  return [...previous, { percent: Number(match[1]), bakeMs: Number(match[2]) }];
}

const path = (group: string, tail = '') =>
  `/api/groups/${encodeURIComponent(group)}/rollouts${tail}`;

/** One line saying where a rollout stands (never a config value). */
export function describeRollout(view: RolloutSummary): string {
  const step = view.steps.length ? ` step ${view.step}/${view.steps.length}` : '';
  const canaries = view.canaryNodes.length ? `, canaries: ${view.canaryNodes.join(', ')}` : '';
  const problems = view.problems.length
    ? `; problems: ${view.problems.map((p) => `${p.nodeId}: ${p.reason}`).join('; ')}`
    : '';
  return `rollout ${view.id} of "${view.group}" v${view.baseVersion} → v${view.version}: ${view.status}${step}${canaries}${problems}`;
}

/** Follows a rollout until it ends; fails (exit 1) unless it was promoted. */
async function follow(
  admin: AdminClient,
  group: string,
  first: RolloutSummary,
  progress: Progress,
  json: boolean,
) {
  let view = first;
  let last = '';
  for (;;) {
    const line = describeRollout(view);
    if (line !== last) progress.step(line);
    last = line;
    if (!RUNNING.includes(view.status) && !(view.status === 'promoted' && view.outcome === null))
      break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    view = await admin.request<RolloutSummary>('GET', path(group, '/current'));
  }
  progress.end();
  process.stdout.write(json ? `${JSON.stringify(view, null, 2)}\n` : `${describeRollout(view)}\n`);
  if (view.status !== 'promoted')
    throw new CliError(
      `the rollout ended ${view.status}${view.outcome ? `: ${view.outcome}` : ''}`,
    );
}

export async function runRolloutStart(
  admin: AdminClient,
  group: string,
  file: string,
  options: {
    step: { percent: number; bakeMs: number }[];
    expectedVersion?: number;
    comment?: string;
    wait: boolean;
    json: boolean;
  },
  progress: Progress,
): Promise<void> {
  const config = await readJsonInput(file);
  progress.step(`verifying with the nodes of "${group}" (admin ${admin.description})`);
  const view = await admin.request<RolloutSummary>('POST', path(group), {
    config,
    steps: options.step.length ? options.step : undefined,
    expectedVersion: options.expectedVersion,
    comment: options.comment,
  });
  if (!options.wait) {
    progress.end();
    process.stdout.write(
      options.json ? `${JSON.stringify(view, null, 2)}\n` : `${describeRollout(view)}\n`,
    );
    return;
  }
  await follow(admin, group, view, progress, options.json);
}

export async function runRolloutStatus(
  admin: AdminClient,
  group: string,
  options: { watch: boolean; json: boolean },
  progress: Progress,
): Promise<void> {
  const view = await admin.request<RolloutSummary>('GET', path(group, '/current'));
  // Watched: the exit code says how it ended (1 unless promoted), even when it ended already.
  if (options.watch) {
    await follow(admin, group, view, progress, options.json);
    return;
  }
  process.stdout.write(
    options.json ? `${JSON.stringify(view, null, 2)}\n` : `${describeRollout(view)}\n`,
  );
}

export async function runRolloutAction(
  admin: AdminClient,
  group: string,
  action: 'promote' | 'abort',
  options: { json: boolean },
): Promise<void> {
  const view = await admin.request<RolloutSummary>('POST', path(group, `/current/${action}`));
  process.stdout.write(
    options.json ? `${JSON.stringify(view, null, 2)}\n` : `${describeRollout(view)}\n`,
  );
}
