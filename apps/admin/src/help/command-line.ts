import { adminHelp } from './admin-help';

/** The package's version, when run from the `@rcc/admin` package (`dist/admin/main.js`). */
function packageVersion(): string {
  try {
    return (require('../../package.json') as { version: string }).version;
  } catch {
    return 'dev';
  }
}

/**
 * `rcc-admin --help` / `--version` print and return true; no argument returns false (start the
 * service); anything else is refused, so a typo never starts a service with defaults.
 */
export function answeredHelp(args: readonly string[]): boolean {
  if (args.length === 0) return false;
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(adminHelp(packageVersion()));
  } else if (args.includes('--version') || args.includes('-v')) {
    process.stdout.write(`${packageVersion()}\n`);
  } else {
    process.stderr.write(`rcc-admin: unknown argument ${args[0]} (try --help)\n`);
    process.exitCode = 2;
  }
  return true;
}
