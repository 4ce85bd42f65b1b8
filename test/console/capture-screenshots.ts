/**
 * Takes the screenshots of docs/CONSOLE.md (docs/images/console-*.png) from a real admin, Redis
 * and example nodes, the same way the browser suites drive the console:
 *
 *   npx ts-node -r tsconfig-paths/register --transpile-only test/console/capture-screenshots.ts
 */
import type { INestApplicationContext } from '@nestjs/common';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startNode } from '../helpers/config-node';
import { ConsoleHarness, setEditorText } from './console-harness';

const OUT = join(__dirname, '..', '..', 'docs', 'images');
const FIXTURE = join(__dirname, '..', 'fixtures', 'old-console-export.json');

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `console-${name}.png`), fullPage: false });
  process.stdout.write(`docs/images/console-${name}.png\n`);
}

async function main(): Promise<void> {
  const harness = await ConsoleHarness.start();
  const nodes: INestApplicationContext[] = [];
  try {
    const { store } = harness;
    for (let i = 1; i <= 4; i++) {
      await store.publish(`apikey-${i}`, {
        youtube_apikey: `AIza-demo-key-${i}`,
        qps_limit: 10 * i,
        enabled: true,
        regions: ['sg', 'de'],
      });
    }
    await store.publish(
      'apikey-1',
      {
        youtube_apikey: 'AIza-demo-key-1b',
        qps_limit: 15,
        enabled: true,
        regions: ['sg', 'de', 'us'],
      },
      { author: 'alice', comment: 'raise the quota' },
    );
    await store.publish('default', { default_key: 'default_value' });
    const ids = ['web-1', 'web-2', 'web-3', 'worker-1', 'worker-2', 'worker-3', 'worker-4'];
    for (const [index, nodeId] of ids.entries()) {
      const node = await startNode({
        redis: { url: harness.redis.url },
        namespace: harness.admin.namespace,
        nodeId,
        group: index < 2 ? 'default' : 'pool-member',
        pool: 'apikey-*',
        refreshMs: 600_000,
      });
      nodes.push(node.app);
    }
    // A direct hash write (as an old Python node makes it) leaves the nodes behind for a while.
    const raw = harness.redis.client();
    await raw.hset(
      harness.admin.namespace,
      'default',
      JSON.stringify({
        group_name: 'default',
        group_version: 1,
        config_dict: { default_key: 'v2' },
      }),
    );
    raw.disconnect();

    const signIn = await harness.newPage();
    await signIn.page.goto(harness.baseUrl);
    await signIn.page.getByLabel('Admin token').waitFor();
    await shoot(signIn.page, 'sign-in');
    await signIn.context.close();

    const { page, context } = await harness.signedInPage();
    await page
      .locator('tr.group-row[data-group="apikey-1"]')
      .getByRole('button', { name: 'apikey-1' })
      .click();
    await page.locator('pre.json-view').waitFor();
    await shoot(page, 'groups');

    await page
      .locator('tr.group-row[data-group="apikey-2"]')
      .getByRole('button', { name: 'Edit', exact: true })
      .click();
    await page.getByText('Editing version 0').waitFor();
    await setEditorText(
      page,
      '{\n  "youtube_apikey": "AIza-demo-key-2-rotated",\n  "qps_limit": 20,\n  "regions": ["sg"\n}',
    );
    await page.getByText(/^Invalid JSON/).waitFor();
    await shoot(page, 'editor');
    await setEditorText(
      page,
      JSON.stringify(
        {
          youtube_apikey: 'AIza-demo-key-2-rotated',
          qps_limit: 20,
          enabled: true,
          regions: ['sg'],
        },
        null,
        2,
      ),
    );
    await page.getByRole('button', { name: 'Review changes' }).click();
    await page.locator('.diff-lines').waitFor();
    await shoot(page, 'edit-diff');
    await store.publish(
      'apikey-2',
      { youtube_apikey: 'AIza-demo-key-2', qps_limit: 25, enabled: false, regions: ['sg', 'de'] },
      { author: 'bob' },
    );
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('button', { name: 'Reload the latest and keep my edit' }).waitFor();
    await shoot(page, 'conflict');
    await page.keyboard.press('Escape');

    await page.goto(`${harness.baseUrl}/#/groups/apikey-1/history`);
    await page.getByRole('figure', { name: 'v0 → v1' }).waitFor();
    await shoot(page, 'history');

    await page.goto(`${harness.baseUrl}/#/transfer`);
    await page.getByLabel('Export file (.json)').setInputFiles(FIXTURE);
    await page
      .locator('.import-preview tr[data-group="default"]')
      .getByRole('button', { name: 'Diff' })
      .click();
    await page.getByRole('figure', { name: 'default' }).waitFor();
    await shoot(page, 'import');

    await page.goto(`${harness.baseUrl}/#/nodes`);
    await page.locator('tr.behind').first().waitFor();
    await shoot(page, 'nodes');

    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '节点', level: 1 }).waitFor();
    await shoot(page, 'nodes-zh');
    await page.getByLabel('语言').selectOption('en');

    // The audit log fills through the REST API (the store's own writes are not audited).
    const api = (path: string, init: RequestInit = {}, token = harness.token) =>
      fetch(`${harness.baseUrl}${path}`, {
        ...init,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      });
    await api('/api/groups', {
      method: 'POST',
      body: JSON.stringify({ name: 'apikey-5', config: { youtube_apikey: 'AIza-demo-key-5' } }),
    });
    await api('/api/groups/apikey-5', {
      method: 'PUT',
      body: JSON.stringify({ config: { youtube_apikey: 'AIza-demo-key-5b', qps_limit: 50 } }),
    });
    await api('/api/groups/apikey-1?reveal=true');
    await api('/api/groups', {}, 'a-wrong-token');
    await page.goto(`${harness.baseUrl}/#/audit`);
    await page.locator('tr.audit-row[data-action="refused"]').waitFor();
    await shoot(page, 'audit');
    await context.close();

    const narrow = await harness.signedInPage({ width: 400 });
    await narrow.page.locator('tr.group-row').first().waitFor();
    await shoot(narrow.page, 'narrow');
    await narrow.context.close();
  } finally {
    for (const node of nodes) await node.close();
    await harness.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
