import { userInfo } from 'node:os';

/** The author recorded in each group's history: the CLI and the OS user who ran it. */
export function cliAuthor(): string {
  try {
    return `rcc-cli:${userInfo().username}`;
  } catch {
    // A container user without a passwd entry has no name.
    return 'rcc-cli';
  }
}
