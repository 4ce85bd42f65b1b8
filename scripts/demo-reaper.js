#!/usr/bin/env node
/**
 * The demo's reaper: started by scripts/demo.js in a process group of its own, it reads from a
 * pipe the process groups the demo starts (`app <pgid>` / `redis <pgid>` lines). When the pipe ends
 * without a `done` line, the demo script died without cleaning up (SIGKILL, a crash): the reaper
 * stops what it started, apps first and Redis last, as the demo itself would. So no way of stopping
 * the demo leaves a process behind.
 */
'use strict';
const readline = require('node:readline');

const STOP_TIMEOUT_MS = 10_000;
const groups = { app: new Set(), redis: new Set() };
let done = false;

const alive = (pgid) => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

const signal = (pgid, name) => {
  try {
    process.kill(-pgid, name);
  } catch {
    // already gone
  }
};

async function stop(pgids) {
  for (const pgid of pgids) signal(pgid, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while ([...pgids].some(alive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  for (const pgid of pgids) if (alive(pgid)) signal(pgid, 'SIGKILL');
}

// The demo's signals are not ours: only the end of the pipe decides.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, () => undefined);

readline
  .createInterface({ input: process.stdin })
  .on('line', (line) => {
    const [kind, id] = line.split(' ');
    if (kind === 'done') done = true;
    else if (kind in groups && Number.isInteger(Number(id))) groups[kind].add(Number(id));
  })
  .on('close', () => {
    if (done) process.exit(0);
    void stop(groups.app)
      .then(() => stop(groups.redis))
      .finally(() => process.exit(0));
  });
