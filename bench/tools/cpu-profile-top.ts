import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from '../lib/bench-report';

/**
 * Where a `--cpu-prof` profile spent its time: self time by function and by package.
 * Usage: node -r ts-node/register/transpile-only bench/tools/cpu-profile-top.ts <file.cpuprofile>...
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function packageOf(url: string): string {
  if (!url) return '(native / idle / gc)';
  const path = url.replace(/^file:\/\//, '');
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = path.slice(modules + 'node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  if (path.startsWith('node:')) return 'node (built-in)';
  return relative(REPO_ROOT, path).split('/').slice(0, 3).join('/');
}

const args = process.argv.slice(2);
if (args.length === 0) {
  process.stderr.write('usage: cpu-profile-top.ts <file.cpuprofile>...\n');
  process.exit(2);
}
const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  profile.samples.forEach((id, index) => {
    const node = nodes.get(id);
    const us = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)' || functionName === '(program)') return;
    total += us;
    const where = url
      ? `${relative(REPO_ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}`
      : '';
    const key = `${functionName || '(anonymous)'} ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
}
const top = (map: Map<string, number>, count: number) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([name, us]) =>
        `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    )
    .join('\n');
process.stdout.write(`busy CPU time: ${(total / 1000).toFixed(0)} ms (idle excluded)\n\n`);
process.stdout.write(
  `by package:\n${top(byPackage, 12)}\n\nby function (self time):\n${top(byFunction, 25)}\n`,
);
