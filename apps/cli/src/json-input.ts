import { readFile } from 'node:fs/promises';
import { CliError, EXIT_INVALID_INPUT } from './cli-error';

/** Reads and parses a JSON file, or stdin for `-`; every failure names the file and the cause. */
export async function readJsonInput(path: string): Promise<unknown> {
  const label = path === '-' ? 'stdin' : `"${path}"`;
  let text: string;
  try {
    text = path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new CliError(`cannot read ${label}: ${reason}`, EXIT_INVALID_INPUT);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // `npm run rcc -- export > file` puts npm's "> package@version rcc" banner first.
    const hint = /^\s*> \S+@\S+ rcc\b/.test(text)
      ? " (it starts with npm's banner: export with `npm run -s rcc -- export > file`)"
      : '';
    throw new CliError(
      `${label} is not valid JSON: ${(error as Error).message}${hint}`,
      EXIT_INVALID_INPUT,
    );
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
