/** The soak's knobs, from the command line (`npm run bench:soak -- --duration 60`). */
export interface SoakOptions {
  /** How long groups are added and deleted, in seconds. */
  durationS: number;
  nodes: number;
  /** Processes the nodes are spread over. */
  workers: number;
  /** Mean time between two changes of the groups, in ms (each waits 0.5x to 1.5x of it). */
  churnMs: number;
  /** Redis restarts (SIGKILL, then start again on its AOF), spread evenly over the duration. */
  restarts: number;
  /** How long Redis stays down at each restart, in ms. */
  downtimeMs: number;
  /** `leaseMs` / `refreshMs` of the nodes; the library's defaults when absent. */
  leaseMs?: number;
  refreshMs?: number;
}

const DEFAULTS: SoakOptions = {
  durationS: 120,
  nodes: 200,
  workers: 4,
  churnMs: 300,
  restarts: 2,
  downtimeMs: 2000,
};

const FLAGS: Record<string, { key: keyof SoakOptions; min: number; max: number }> = {
  '--duration': { key: 'durationS', min: 5, max: 24 * 3600 },
  '--nodes': { key: 'nodes', min: 1, max: 5000 },
  '--workers': { key: 'workers', min: 1, max: 64 },
  '--churn-ms': { key: 'churnMs', min: 10, max: 600_000 },
  '--restarts': { key: 'restarts', min: 0, max: 100 },
  '--downtime-ms': { key: 'downtimeMs', min: 0, max: 600_000 },
  '--lease-ms': { key: 'leaseMs', min: 100, max: 3_600_000 },
  '--refresh-ms': { key: 'refreshMs', min: 10, max: 3_600_000 },
};

export const SOAK_USAGE = `usage: npm run bench:soak -- [${Object.keys(FLAGS)
  .map((flag) => `${flag} <n>`)
  .join('] [')}]`;

/** Reads `--flag value` pairs; throws naming the flag for anything unknown or out of range. */
export function parseSoakOptions(argv: readonly string[]): SoakOptions {
  const options: SoakOptions = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i += 2) {
    const flag = argv[i];
    const spec = FLAGS[flag];
    if (!Object.prototype.hasOwnProperty.call(FLAGS, flag) || !spec) {
      throw new Error(`unknown option ${JSON.stringify(flag)}\n${SOAK_USAGE}`);
    }
    const raw = argv[i + 1];
    const value = Number(raw);
    if (raw === undefined || !Number.isSafeInteger(value) || value < spec.min || value > spec.max) {
      throw new Error(`${flag} must be an integer from ${spec.min} to ${spec.max}, got ${raw}`);
    }
    options[spec.key] = value;
  }
  if (options.workers > options.nodes) {
    throw new Error(`--workers (${options.workers}) must not exceed --nodes (${options.nodes})`);
  }
  return options;
}
