import {
  ConfigVersionConflictError,
  InputProblem,
  InvalidConfigInputError,
} from '@rcc/redis-config/publisher';

/** Exit codes of `rcc` (also listed in its `--help`). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_INVALID_INPUT = 2;

/** A failure the CLI explains in one message (and a list of problems), with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';

  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILURE,
    readonly problems: InputProblem[] = [],
  ) {
    super(message);
  }
}

/** Turns whatever a command threw into a `CliError` whose message a user can act on. */
export function toCliError(error: unknown): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof InvalidConfigInputError) {
    return new CliError('the input is invalid; nothing was written', EXIT_INVALID_INPUT, [
      ...error.problems,
    ]);
  }
  if (error instanceof ConfigVersionConflictError) {
    return new CliError(
      `group "${error.group}" changed while this command ran; nothing was written, run it again`,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CliError(message);
}

/** `rcc: error: ...` and one line per problem, for stderr. */
export function formatCliError(error: CliError): string {
  const lines = [`rcc: error: ${error.message}`];
  for (const problem of error.problems) lines.push(`  - ${problem.field}: ${problem.message}`);
  return `${lines.join('\n')}\n`;
}
