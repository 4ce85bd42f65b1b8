import { AdminClient } from '../admin-client';

/** `GET /api/groups/:name/compare` (the fields the CLI shows). */
interface Comparison {
  from: { env: string; version: number | null };
  to: { env: string; version: number | null };
  keys: { key: string; status: string; secret: boolean }[];
}

/** A change request (DESIGN §19), as the admin answers it. */
export interface ChangeSummary {
  id: string;
  status: string;
  env: string;
  action: string;
  group: string | null;
  groups?: string[];
  author: string;
  baseVersion: number | null;
  diff: { key: string; status: string; secret: boolean }[];
  createdAt: string;
  decidedBy: string | null;
  outcome: string | null;
}

const groupPath = (group: string, tail: string) =>
  `/api/groups/${encodeURIComponent(group)}/${tail}`;
const version = (value: number | null) => (value === null ? '(absent)' : `v${value}`);

function print(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

/** One line per change request (never a value). */
export function describeChange(change: ChangeSummary): string {
  const what = change.group ?? (change.groups ?? []).join(', ');
  const keys = change.diff.map((entry) => `${entry.key} ${entry.status}`).join(', ');
  return (
    `${change.id}  ${change.status}  ${change.env}  ${change.action} "${what}" by ${change.author}` +
    ` (on ${version(change.baseVersion)})${keys ? `: ${keys}` : ''}` +
    (change.outcome && change.outcome !== change.status ? ` — ${change.outcome}` : '')
  );
}

export async function runCompare(
  admin: AdminClient,
  group: string,
  options: { from: string; to: string; json: boolean },
): Promise<void> {
  const query = new URLSearchParams({ from: options.from, to: options.to });
  const view = await admin.request<Comparison>('GET', groupPath(group, `compare?${query}`));
  const width = Math.max(3, ...view.keys.map((entry) => entry.key.length));
  const lines = [
    `"${group}": ${view.from.env} ${version(view.from.version)} → ${view.to.env} ${version(view.to.version)}`,
    ...view.keys.map(
      (entry) => `  ${entry.key.padEnd(width)}  ${entry.status}${entry.secret ? '  (secret)' : ''}`,
    ),
  ];
  print(options.json, view, lines.join('\n'));
}

export async function runPromote(
  admin: AdminClient,
  group: string,
  options: {
    from: string;
    to: string;
    key: string[];
    step: { percent: number; bakeMs: number }[];
    expectedVersion?: number;
    comment?: string;
    json: boolean;
  },
): Promise<void> {
  const answer = await admin.request<
    Partial<ChangeSummary> & {
      version?: number;
      promotion?: { keys: string[]; keptSecretKeys: string[]; to: { env: string } };
    }
  >('POST', groupPath(group, 'promote'), {
    from: options.from,
    to: options.to,
    keys: options.key.length ? options.key : undefined,
    steps: options.step.length ? options.step : undefined,
    expectedVersion: options.expectedVersion,
    comment: options.comment,
  });
  if (answer.status === 'pending' && answer.id) {
    print(
      options.json,
      answer,
      `change request ${answer.id} pending in ${answer.env}: another token must approve it ` +
        `(rcc changes approve ${answer.id})`,
    );
    return;
  }
  const promotion = answer.promotion;
  const kept = promotion?.keptSecretKeys.length
    ? `; secret keys left as they were: ${promotion.keptSecretKeys.join(', ')}`
    : '';
  const text = !promotion?.keys.length
    ? `nothing to promote: "${group}" in ${options.to} already has the values of ${options.from}${kept}`
    : `promoted ${promotion.keys.join(', ')} of "${group}" into ${promotion.to.env}` +
      (options.step.length ? ` (rollout ${String(answer.status)})` : ` (now v${answer.version})`) +
      kept;
  print(options.json, answer, text);
}

export async function runChangesList(
  admin: AdminClient,
  options: { env?: string; status?: string; group?: string; json: boolean },
): Promise<void> {
  const query = new URLSearchParams();
  if (options.env) query.set('env', options.env);
  if (options.status) query.set('status', options.status);
  if (options.group) query.set('group', options.group);
  const changes = await admin.request<ChangeSummary[]>('GET', `/api/changes?${query}`);
  print(
    options.json,
    changes,
    changes.length ? changes.map(describeChange).join('\n') : 'no change requests',
  );
}

export async function runChangeDecision(
  admin: AdminClient,
  id: string,
  decision: 'approve' | 'reject' | 'withdraw',
  options: { json: boolean },
): Promise<void> {
  const change = await admin.request<ChangeSummary>(
    'POST',
    `/api/changes/${encodeURIComponent(id)}/${decision}`,
  );
  print(options.json, change, describeChange(change));
}
