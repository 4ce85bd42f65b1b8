import type { AddressInfo } from 'node:net';
import { roleTokens } from '../admin/role-tokens';
import { runCli } from '../cli/run-cli';
import { seedGroup, startTwoEnvironmentAdmin, startTwoRedis, TwoRedis } from './two-environments';

const { tokens, settings: tokenSettings } = roleTokens('cli-env');

/** `rcc compare`, `rcc promote`, `rcc changes list|approve|reject` (the built CLI → admin REST). */
describe('rcc compare / promote / changes (built CLI)', () => {
  let redis: TwoRedis;
  let admin: Awaited<ReturnType<typeof startTwoEnvironmentAdmin>>;
  let url: string;
  const as = (role: keyof typeof tokens) => ({ ADMIN_URL: url, ADMIN_TOKEN: tokens[role] });

  beforeAll(async () => {
    redis = await startTwoRedis();
    admin = await startTwoEnvironmentAdmin(redis, {
      tokens: tokenSettings,
      protectedEnvironments: 'production',
    });
    await admin.app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(admin.app.getHttpServer().address() as AddressInfo).port}`;
    await seedGroup(redis.productionClient(), admin.namespaces.production, 'orders', {
      qps: 5,
      apikey: 'p-key',
    });
    await seedGroup(redis.staging.client(), admin.namespaces.staging, 'orders', {
      qps: 9,
      apikey: 's-key',
    });
  });

  afterAll(async () => {
    await admin?.app.close();
    await redis?.dispose();
  });

  it('compares, promotes into the protected environment (a request), lists and approves it', async () => {
    const compared = await runCli(
      ['compare', 'orders', '--from', 'staging', '--to', 'production'],
      {
        env: as('reader'),
      },
    );
    expect(compared).toMatchObject({ code: 0 });
    expect(compared.stdout).toMatch(/apikey\s+changed\s+\(secret\)/);
    expect(compared.stdout).toMatch(/qps\s+changed/);
    expect(compared.stdout).not.toContain('s-key');

    const promoted = await runCli(
      ['promote', 'orders', '--from', 'staging', '--to', 'production', '--json'],
      { env: as('writer') },
    );
    expect(promoted.code).toBe(0);
    const change = JSON.parse(promoted.stdout) as { id: string; status: string; action: string };
    expect(change).toMatchObject({ status: 'pending', action: 'promote' });

    const listed = await runCli(['changes', 'list', '--env', 'production', '--status', 'pending'], {
      env: as('reader'),
    });
    expect(listed.stdout).toContain(
      `${change.id}  pending  production  promote "orders" by cli-env-writer`,
    );

    const own = await runCli(['changes', 'approve', change.id], { env: as('writer') });
    expect(own.code).toBe(1);
    expect(own.stderr).toContain('403');
    const approved = await runCli(['changes', 'approve', change.id], { env: as('admin') });
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.stdout).toContain(`${change.id}  applied  production`);
  });

  it('rejects a request; an unknown one is a 404', async () => {
    const promoted = await runCli(
      ['promote', 'orders', '--from', 'staging', '--to', 'production', '--key', 'qps'],
      { env: as('writer') },
    );
    expect(promoted.code).toBe(0);
    const id = /change request (\S+) pending in production/.exec(promoted.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    const rejected = await runCli(['changes', 'reject', id], { env: as('admin') });
    expect(rejected).toMatchObject({ code: 0 });
    expect(rejected.stdout).toContain(`${id}  rejected  production`);
    const unknown = await runCli(['changes', 'reject', '0-00000000'], { env: as('admin') });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('404');
  });
});
