import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveOptions } from '../options/redis-config.options';
import { frozenGroup } from './config-change';
import { NodeState } from './node-state';
import { openSecrets } from './secret-opening';
import { SnapshotKeeper } from './snapshot-keeper';

const SECRET = 'sk-snapshot-secret-77';

describe('SnapshotKeeper and encrypted secrets', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rcc-snapshot-keeper-'));
  const key = randomBytes(32).toString('base64');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function keeper(path: string, encryptionKeys?: string) {
    const options = resolveOptions({ snapshotPath: path, encryptionKeys }, {});
    const state = new NodeState(options);
    return { state, write: state.writer(), keeper: new SnapshotKeeper(options, state), options };
  }

  it('writes secrets encrypted, and restores them in clear only with the key', async () => {
    const path = join(dir, 'a.json');
    const writer = keeper(path, key);
    writer.write.apply(frozenGroup('own', 3, { api_key: SECRET, timeout: 1 }), 'loaded', 'pinned');
    await writer.keeper.save();
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"api_key":"rcc:enc:v1:');

    const withKey = keeper(path, key);
    const restored = await withKey.keeper.restore();
    expect(restored?.own).toEqual({
      name: 'own',
      version: 3,
      config: { api_key: SECRET, timeout: 1 },
    });

    const warnings: string[] = [];
    const warn = jest
      .spyOn(Logger.prototype, 'warn')
      .mockImplementation((message: unknown) => void warnings.push(String(message)));
    try {
      const withoutKey = keeper(path);
      expect(await withoutKey.keeper.restore()).toBeNull();
      expect(warnings.join('\n')).toMatch(
        /Ignoring .*a\.json: group "own" version 3: the value of "api_key" \(key id "[0-9a-f]{8}"\) is encrypted, and RCC_ENCRYPTION_KEY is not set here/,
      );
      expect(warnings.join('\n')).not.toContain(SECRET);
    } finally {
      warn.mockRestore();
    }
  });

  it('keeps encrypted the values that came encrypted, whatever its own secret globs', async () => {
    const path = join(dir, 'b.json');
    const writer = keeper(path, key);
    const sealed = writer.options.encryption!.seal('cred-0001', 'own', 'service_credential');
    const opened = openSecrets(
      { name: 'own', version: 1, config: { service_credential: sealed, timeout: 2 } },
      writer.options.encryption,
    );
    if ('problem' in opened) throw new Error(opened.problem);
    expect(opened.config.service_credential).toBe('cred-0001');
    writer.write.apply(frozenGroup('own', 1, opened.config), 'loaded', 'pinned');
    await writer.keeper.save();
    expect(readFileSync(path, 'utf8')).not.toContain('cred-0001');
  });

  it('writes clear values as they are without a key (nothing was decrypted)', async () => {
    const path = join(dir, 'c.json');
    const writer = keeper(path);
    writer.write.apply(frozenGroup('own', 0, { timeout: 1 }), 'loaded', 'pinned');
    await writer.keeper.save();
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ config_dict: { timeout: 1 } });
  });
});
