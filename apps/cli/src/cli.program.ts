import { Command, InvalidArgumentError, Option } from 'commander';
import { readInteger } from '@rcc/redis-config/publisher';
import { EXIT_FAILURE, EXIT_INVALID_INPUT, EXIT_OK } from './cli-error';
import { runExport } from './commands/export.command';
import { runImport } from './commands/import.command';
import { runMigrate } from './commands/migrate.command';
import { runRekey } from './commands/rekey.command';
import {
  parseStep,
  runRolloutAction,
  runRolloutStart,
  runRolloutStatus,
} from './commands/rollout.command';
import {
  runChangeDecision,
  runChangesList,
  runCompare,
  runPromote,
} from './commands/environments.command';
import { AdminClient } from './admin-client';
import { CliSettings, DEFAULT_TIMEOUT_MS } from './cli-settings';
import { Progress } from './progress';
import type { RedisTarget } from './store-session';

/** Options every command takes (`rcc --redis-url ... export`, or after the command name). */
interface GlobalOptions {
  redisUrl?: string;
  namespace?: string;
  timeout: number;
  quiet: boolean;
}

function milliseconds(raw: string): number {
  const value = readInteger(raw);
  if (value === null || value < 1) {
    throw new InvalidArgumentError('must be a whole number of milliseconds ≥ 1');
  }
  return value;
}

function globals(command: Command, settings: CliSettings): GlobalOptions {
  const options = command.optsWithGlobals<GlobalOptions>();
  return {
    ...options,
    redisUrl: options.redisUrl ?? settings.REDIS_URL,
    namespace: options.namespace ?? settings.RCC_NAMESPACE,
  };
}

/** An empty value (`REDIS_URL=`) means "not set", as the library reads env variables. */
function target(options: GlobalOptions, url = options.redisUrl, namespace = options.namespace) {
  return {
    url: url || undefined,
    namespace: namespace || undefined,
    timeoutMs: options.timeout,
  } satisfies RedisTarget;
}

const progress = (options: GlobalOptions) => new Progress(process.stderr, !options.quiet);

const ENV_HELP = `
Env variables (a flag wins over its variable):
  REDIS_URL               Redis host name, or a redis:// / rediss:// URL (localhost); --redis-url
  REDIS_PORT              Redis port (6379)
  REDIS_DB                Redis database number (0)
  REDIS_PASSWORD          Redis password (none)
  REDIS_SENTINELS         use Sentinel: "host:port,host:port"
  REDIS_SENTINEL_NAME     master name, with REDIS_SENTINELS
  REDIS_CLUSTER_NODES     use Redis Cluster: "host:port,host:port"
  RCC_NAMESPACE           hash key of the groups (rcc::config::redis_config_center); --namespace
  RCC_STARTUP_TIMEOUT_MS  how long to wait for Redis (and the admin); --timeout
  ADMIN_URL               rcc rollout/compare/promote/changes: the admin service
                          (http://localhost:8079); --admin-url
  ADMIN_TOKEN             the admin's bearer token (writer role to start, promote, approve)
  RCC_ENCRYPTION_KEY      keys of secret values ([id=]base64 of 32 bytes, comma-separated):
                          the first encrypts what is written, every one decrypts (none)
  RCC_SECRET_KEYS         globs of the keys whose values are secrets (*apikey*,*api_key*,...)`;

const EXIT_CODES_HELP = `
Exit codes: ${EXIT_OK} done, ${EXIT_FAILURE} failed (Redis unreachable, a concurrent change, I/O),
            ${EXIT_INVALID_INPUT} invalid input (usage, a bad file: nothing was written).
Results go to stdout; progress and errors to stderr.`;

const NO_SETTINGS: CliSettings = { RCC_STARTUP_TIMEOUT_MS: DEFAULT_TIMEOUT_MS };

/**
 * The `rcc` command line: export / import / migrate / rekey (DESIGN §9), and rollouts (DESIGN §13). `settings` (read through
 * `ConfigModule`) are what a global option falls back to.
 */
export function buildProgram(settings: CliSettings = NO_SETTINGS): Command {
  const program = new Command('rcc')
    .description(
      'Redis Config Center command line: export, import, migrate and rekey config groups',
    )
    .addOption(
      // No .default(): a URL may hold a password, and --help shows defaults.
      new Option(
        '--redis-url <url>',
        'Redis host name or redis:// URL (else REDIS_PORT, REDIS_SENTINELS, ... as a node reads them) (env: REDIS_URL)',
      ),
    )
    .addOption(
      new Option(
        '--namespace <name>',
        'hash key of the groups (default: rcc::config::redis_config_center) (env: RCC_NAMESPACE)',
      ),
    )
    .addOption(
      new Option(
        '--timeout <ms>',
        'give up when Redis does not answer within this time (env: RCC_STARTUP_TIMEOUT_MS)',
      )
        .argParser(milliseconds)
        .default(settings.RCC_STARTUP_TIMEOUT_MS),
    )
    .option('-q, --quiet', 'no progress line on stderr', false)
    .addHelpText('after', ENV_HELP + EXIT_CODES_HELP)
    .configureHelp({ showGlobalOptions: true })
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  program
    .command('export')
    .description('write every group as the old console export file (JSON)')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }, command: Command) => {
      const global = globals(command, settings);
      await runExport(target(global), options, progress(global));
    });

  program
    .command('import')
    .description('import an export file, all-or-nothing (created / updated / unchanged)')
    .argument('<file>', 'the export file, or - for stdin')
    .option('-n, --dry-run', 'only show what would change', false)
    .option('--json', 'print the result as JSON', false)
    .option('--comment <text>', 'comment recorded in the history of each written group')
    .action(
      async (
        file: string,
        options: { dryRun: boolean; json: boolean; comment?: string },
        command: Command,
      ) => {
        const global = globals(command, settings);
        await runImport(target(global), file, options, progress(global));
      },
    );

  program
    .command('migrate')
    .description('copy every group from one Redis to another (history and notifications included)')
    .requiredOption('--from <redis-url>', 'source Redis')
    .requiredOption('--to <redis-url>', 'target Redis')
    .option('--from-namespace <name>', 'namespace on the source (default: --namespace)')
    .option('--to-namespace <name>', 'namespace on the target (default: --namespace)')
    .option('-n, --dry-run', 'only show what would change on the target', false)
    .option('--json', 'print the result as JSON', false)
    .action(
      async (
        options: {
          from: string;
          to: string;
          fromNamespace?: string;
          toNamespace?: string;
          dryRun: boolean;
          json: boolean;
        },
        command: Command,
      ) => {
        const global = globals(command, settings);
        await runMigrate(
          target(global, options.from, options.fromNamespace ?? global.namespace),
          target(global, options.to, options.toNamespace ?? global.namespace),
          options,
          progress(global),
        );
      },
    );

  program
    .command('rekey')
    .description(
      'encrypt every secret value of the namespace with the first key of RCC_ENCRYPTION_KEY, all-or-nothing',
    )
    .option('-n, --dry-run', 'only show what would change', false)
    .option('--json', 'print the result as JSON', false)
    .action(async (options: { dryRun: boolean; json: boolean }, command: Command) => {
      const global = globals(command, settings);
      await runRekey(target(global), options, progress(global));
    });
  const admin = (command: Command, options: { adminUrl?: string }) =>
    new AdminClient({
      url: options.adminUrl ?? settings.ADMIN_URL ?? 'http://localhost:8079',
      token: settings.ADMIN_TOKEN,
      // Verification alone may take RCC_ROLLOUT_VERIFY_MS on the admin: never less than 30 s.
      timeoutMs: Math.max(30_000, globals(command, settings).timeout),
    });
  const rollout = program
    .command('rollout')
    .description(
      'safe rollouts through the admin service: verified by the nodes, canary steps, auto rollback',
    );
  rollout
    .command('start')
    .description('roll a config out to a group; follows it until it ends (exit 1 unless promoted)')
    .argument('<group>', 'the group')
    .argument('<file>', 'the new config (a JSON object), or - for stdin')
    .option(
      '--step <percent:bakeMs>',
      'a canary step, repeatable in increasing order (none: verify, then promote)',
      (raw: string, previous: { percent: number; bakeMs: number }[]) => parseStep(raw, previous),
      [],
    )
    .option(
      '--expected-version <n>',
      'refuse (409) when the group is no longer at this version',
      versionArgument,
    )
    .option('--comment <text>', 'why (kept with the rollout and the promoted version)')
    .option('--no-wait', 'return once the canary started')
    .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
    .option('--json', 'print the final rollout as JSON', false)
    .action(
      async (
        group: string,
        file: string,
        options: {
          step: { percent: number; bakeMs: number }[];
          expectedVersion?: number;
          comment?: string;
          wait: boolean;
          adminUrl?: string;
          json: boolean;
        },
        command: Command,
      ) => {
        await runRolloutStart(
          admin(command, options),
          group,
          file,
          options,
          progress(globals(command, settings)),
        );
      },
    );
  rollout
    .command('status')
    .description("the group's latest rollout")
    .argument('<group>', 'the group')
    .option('-w, --watch', 'follow it until it ends', false)
    .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
    .option('--json', 'print it as JSON', false)
    .action(
      async (
        group: string,
        options: { watch: boolean; json: boolean; adminUrl?: string },
        command: Command,
      ) => {
        await runRolloutStatus(
          admin(command, options),
          group,
          options,
          progress(globals(command, settings)),
        );
      },
    );
  for (const action of ['promote', 'abort'] as const) {
    rollout
      .command(action)
      .description(
        action === 'promote'
          ? "finish now: the candidate becomes the group's next version everywhere"
          : 'stop now: canary nodes return to the stable version',
      )
      .argument('<group>', 'the group')
      .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
      .option('--json', 'print the rollout as JSON', false)
      .action(
        async (group: string, options: { json: boolean; adminUrl?: string }, command: Command) => {
          await runRolloutAction(admin(command, options), group, action, options);
        },
      );
  }

  addEnvironmentCommands(program, admin);
  return program;
}

/** `--expected-version <n>`: an integer ≥ 0. */
function versionArgument(raw: string): number {
  const value = readInteger(raw);
  if (value === null || value < 0) throw new InvalidArgumentError('must be an integer ≥ 0');
  return value;
}

/** `rcc compare`, `rcc promote`, `rcc changes ...`: environments over the admin (DESIGN §19). */
function addEnvironmentCommands(
  program: Command,
  admin: (command: Command, options: { adminUrl?: string }) => AdminClient,
): void {
  program
    .command('compare')
    .description('compare a group key by key between two environments (secret values never shown)')
    .argument('<group>', 'the group')
    .requiredOption('--from <env>', 'the environment to promote from')
    .requiredOption('--to <env>', 'the environment to promote into')
    .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
    .option('--json', 'print the comparison as JSON', false)
    .action(
      async (
        group: string,
        options: { from: string; to: string; json: boolean; adminUrl?: string },
        command: Command,
      ) => {
        await runCompare(admin(command, options), group, options);
      },
    );
  program
    .command('promote')
    .description(
      'publish into --to the values of --from (default: every differing key except secrets); ' +
        'a protected --to makes a change request',
    )
    .argument('<group>', 'the group')
    .requiredOption('--from <env>', 'the environment to promote from')
    .requiredOption('--to <env>', 'the environment to promote into')
    .option(
      '--key <key>',
      'a key to copy, repeatable (a secret key needs the admin role)',
      (raw: string, previous: string[]) => [...previous, raw],
      [],
    )
    .option(
      '--step <percent:bakeMs>',
      'start a rollout in --to with this canary step, repeatable',
      (raw: string, previous: { percent: number; bakeMs: number }[]) => parseStep(raw, previous),
      [],
    )
    .option(
      '--expected-version <n>',
      'refuse (409) when --to moved past this version',
      versionArgument,
    )
    .option('--comment <text>', 'why (kept in the history)')
    .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
    .option('--json', 'print the answer as JSON', false)
    .action(
      async (
        group: string,
        options: Parameters<typeof runPromote>[2] & { adminUrl?: string },
        command: Command,
      ) => {
        await runPromote(admin(command, options), group, options);
      },
    );
  const changes = program
    .command('changes')
    .description('change requests of the protected environments (the two-person rule)');
  changes
    .command('list')
    .description('change requests, newest first')
    .option('--env <env>', 'one environment (default: every one)')
    .option('--status <status>', 'pending, applied, stale, failed, rejected, withdrawn')
    .option('--group <group>', 'one group')
    .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
    .option('--json', 'print them as JSON', false)
    .action(
      async (
        options: Parameters<typeof runChangesList>[1] & { adminUrl?: string },
        command: Command,
      ) => {
        await runChangesList(admin(command, options), options);
      },
    );
  for (const decision of ['approve', 'reject', 'withdraw'] as const) {
    changes
      .command(decision)
      .description(
        decision === 'approve'
          ? 'approve and apply a request (not its author), against the version it was made on'
          : decision === 'reject'
            ? 'reject a request: it is never applied'
            : 'withdraw your own request',
      )
      .argument('<id>', 'the change request')
      .option('--admin-url <url>', 'the admin service (env: ADMIN_URL)')
      .option('--json', 'print the request as JSON', false)
      .action(
        async (id: string, options: { json: boolean; adminUrl?: string }, command: Command) => {
          await runChangeDecision(admin(command, options), id, decision, options);
        },
      );
  }
}
