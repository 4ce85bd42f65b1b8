import { ChildProcess, fork, ForkOptions } from 'node:child_process';
import { atExit, REPO_ROOT } from './bench-report';

/** Node flags that let a child process run a TypeScript file of the repo, as the benches run. */
export const TS_NODE_FLAGS = [
  '-r',
  'ts-node/register/transpile-only',
  '-r',
  'tsconfig-paths/register',
];

/** Forks a TypeScript module of the repo with an IPC channel; killed if the bench dies. */
export function forkTs(file: string, options: ForkOptions = {}): ChildProcess {
  const child = fork(file, [], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    ...options,
    execArgv: [...TS_NODE_FLAGS, ...(options.execArgv ?? [])],
  });
  atExit(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** Resolves when the child has exited (at once if it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}
