import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import type { AdminSettings } from '../../apps/admin/src/settings/admin-settings';
import { startAdmin, TEST_TOKEN, TestAdmin } from '../admin/admin-app';
import { RedisServer } from '../helpers/redis-server';

const ROOT = join(__dirname, '..', '..');
const CONSOLE_INDEX = join(ROOT, 'dist', 'console', 'index.html');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The console is a build output: build it once if this checkout has not (npm test builds first). */
export function ensureConsoleBuilt(): void {
  if (existsSync(CONSOLE_INDEX)) return;
  try {
    execFileSync('npm', ['run', 'build:console'], { cwd: ROOT, stdio: 'pipe' });
  } catch (error) {
    const output = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(
      `The web console is not built and \`npm run build:console\` failed:\n${output}`,
    );
  }
  if (!existsSync(CONSOLE_INDEX)) throw new Error(`No ${CONSOLE_INDEX} after build:console`);
}

/** `extraArgs`: more Chromium switches (e.g. `--host-resolver-rules` to name 127.0.0.1). */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM} (apt-get install chromium, or CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** Everything the browser reported that a clean page never reports. */
export interface PageProblems {
  errors: string[];
  cspViolations: string[];
}

/**
 * A real admin service (the production factory: helmet CSP and all) on a real Redis, serving the
 * built console on a free port, and a headless Chromium to drive it.
 */
export class ConsoleHarness {
  private constructor(
    readonly redis: RedisServer,
    readonly admin: TestAdmin,
    readonly browser: Browser,
    readonly baseUrl: string,
  ) {}

  static async start(
    options: { redisConfig?: RedisConfigModuleOptions; settings?: Partial<AdminSettings> } = {},
  ): Promise<ConsoleHarness> {
    ensureConsoleBuilt();
    const redis = await RedisServer.start();
    const admin = await startAdmin(redis, {
      redisConfig: options.redisConfig,
      settings: options.settings,
    });
    return ConsoleHarness.over(redis, admin);
  }

  /** The harness over an admin the test built itself (two environments, …), on `redis`. */
  static async over(redis: RedisServer, admin: TestAdmin): Promise<ConsoleHarness> {
    ensureConsoleBuilt();
    await admin.app.listen(0, '127.0.0.1');
    const browser = await launchChromium();
    return new ConsoleHarness(redis, admin, browser, await admin.app.getUrl());
  }

  get app(): NestExpressApplication {
    return this.admin.app;
  }

  get token(): string {
    return TEST_TOKEN;
  }

  get store(): ConfigGroupStore {
    return this.app.get(ConfigGroupStore);
  }

  /**
   * A fresh browser context (its own sessionStorage), signed in through the sign-in link, with
   * the test token or `token`.
   */
  async signedInPage(
    options: { width?: number; language?: 'en' | 'zh-CN'; hash?: string; token?: string } = {},
  ): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }> {
    const { page, context, problems } = await this.newPage(options);
    await page.goto(
      `${this.baseUrl}/?token=${encodeURIComponent(options.token ?? this.token)}${options.hash ?? ''}`,
    );
    await page.getByRole('button', { name: /Sign out|退出登录/ }).waitFor();
    return { page, context, problems };
  }

  async newPage(
    options: { width?: number; language?: 'en' | 'zh-CN' } = {},
  ): Promise<{ page: Page; context: BrowserContext; problems: PageProblems }> {
    const context = await this.browser.newContext({
      viewport: { width: options.width ?? 1280, height: 900 },
      locale: options.language ?? 'en-US',
      acceptDownloads: true,
    });
    const page = await context.newPage();
    const problems: PageProblems = { errors: [], cspViolations: [] };
    page.on('pageerror', (error) => problems.errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      const text = message.text();
      if (/Content.Security.Policy/i.test(text)) problems.cspViolations.push(text);
      // Failed API calls (401, 404, 409 on purpose) are logged by Chromium; they are not bugs.
      else if (!/Failed to load resource/.test(text)) problems.errors.push(text);
    });
    return { page, context, problems };
  }

  async close(): Promise<void> {
    await this.browser.close();
    await this.app.close();
    await this.redis.dispose();
  }
}

/** Replaces the text of the CodeMirror editor, as a paste would. */
export async function setEditorText(page: Page, text: string): Promise<void> {
  const editor = page.locator('.cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

/**
 * Evaluates a JavaScript expression in the page. Written as a string on purpose: the repository's
 * TypeScript has no DOM types (it is Node code), and the page code must not need them here.
 */
export async function inPage<T>(page: Page, expression: string): Promise<T> {
  return (await page.evaluate(expression)) as T;
}

/** Closes the pages a test opened, each having logged no error and broken no CSP rule. */
export async function closeCleanPages(pages: { page: Page; problems: PageProblems }[]) {
  for (const { page, problems } of pages.splice(0)) {
    await page.context().close();
    expect(problems).toEqual({ errors: [], cspViolations: [] });
  }
}
