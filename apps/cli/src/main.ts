import { CommanderError } from 'commander';
import { EXIT_INVALID_INPUT, EXIT_OK, formatCliError, toCliError } from './cli-error';
import { buildProgram } from './cli.program';
import { loadCliSettings } from './cli-settings';

/** Runs one command and returns the process exit code. */
async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram(await loadCliSettings()).parseAsync(argv);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the help or the usage error already.
      return error.exitCode === 0 ? EXIT_OK : EXIT_INVALID_INPUT;
    }
    const failure = toCliError(error);
    process.stderr.write(formatCliError(failure));
    return failure.exitCode;
  }
}

// process.exit: a Redis client that never connected would otherwise keep retrying (stdout and
// stderr are synchronous for files, pipes and terminals on Linux, so nothing written is lost).
void run(process.argv).then((code) => process.exit(code));
