import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisConfigHealth } from '@rcc/redis-config';
import { AdminMetrics } from '../../apps/admin/src/metrics/admin-metrics';
import { NODE_METRIC_NAMES } from '../../libs/redis-config/src/metrics/node-metrics';
import { PROJECT_ROOT } from '../blackbox/built-app';

/** The checked-in Grafana dashboard and the alert rules of OPERATIONS.md query metrics that exist. */
describe('docs: dashboard and alert rules', () => {
  const known = new Set<string>([
    ...new AdminMetrics({ connected: true } as RedisConfigHealth).registry
      .getMetricsAsArray()
      .map((metric) => (metric as unknown as { name: string }).name),
    ...NODE_METRIC_NAMES,
  ]);
  /** `rcc_*` names in a PromQL text, without the histogram suffixes. */
  const namesIn = (text: string) =>
    [...text.matchAll(/\brcc_[a-z_]+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, ''));

  it('the Grafana dashboard is JSON whose queries name only our metrics', () => {
    const dashboard = JSON.parse(
      readFileSync(join(PROJECT_ROOT, 'docs/grafana/rcc-dashboard.json'), 'utf8'),
    ) as { panels: { targets: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    expect(exprs.length).toBeGreaterThan(10);
    for (const name of exprs.flatMap(namesIn)) expect(known).toContain(name);
  });

  it('the alert rules of docs/OPERATIONS.md name only our metrics', () => {
    const doc = readFileSync(join(PROJECT_ROOT, 'docs/OPERATIONS.md'), 'utf8');
    const rules = doc.slice(doc.indexOf('## Alert rules'), doc.indexOf('## Grafana'));
    const names = namesIn(rules);
    expect(names.length).toBeGreaterThan(4);
    for (const name of names) expect(known).toContain(name);
  });
});
