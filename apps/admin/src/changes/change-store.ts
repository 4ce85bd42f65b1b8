import { Injectable } from '@nestjs/common';
import type { ConfigDict } from '@rcc/redis-config';
import { randomBytes } from 'node:crypto';
import type { EnvironmentContext } from '../environments/admin-environments';
import { SecretPolicy } from '../secrets/secret-policy';
import type { ChangePayload, ChangeRequest, ChangeStatus } from './change-request';

/**
 * Moves a change's status from ARGV[2] to ARGV[3], only when it is ARGV[2] now: two admin
 * replicas approving one change at once, exactly one wins. KEYS[1]: the status hash.
 */
const TRANSITION = `
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0`;

interface StoredChange {
  request: Omit<ChangeRequest, 'status'>;
  payload: ChangePayload;
}

/**
 * Change requests in their environment's Redis, under its namespace's hash tag (an admin restart
 * loses none): `{ns}:changes` (id → the request and its payload, JSON) and `{ns}:change-status`
 * (id → status), the status moved only by a checked transition (Lua, KEYS declared).
 */
@Injectable()
export class ChangeStore {
  constructor(private readonly secrets: SecretPolicy) {}

  private keys(env: EnvironmentContext) {
    const tag = `{${env.namespace}}`;
    return { changes: `${tag}:changes`, status: `${tag}:change-status` };
  }

  async create(
    env: EnvironmentContext,
    request: Omit<
      ChangeRequest,
      | 'id'
      | 'status'
      | 'env'
      | 'createdAt'
      | 'decidedBy'
      | 'decidedAt'
      | 'outcome'
      | 'appliedVersion'
    >,
    payload: ChangePayload,
  ): Promise<ChangeRequest> {
    const now = new Date();
    const id = `${now.getTime().toString(36)}-${randomBytes(4).toString('hex')}`;
    const stored: StoredChange = {
      request: {
        ...request,
        id,
        env: env.name,
        createdAt: now.toISOString(),
        decidedBy: null,
        decidedAt: null,
        outcome: null,
        appliedVersion: null,
      },
      payload: this.sealed(env, request.group, payload),
    };
    const { changes, status } = this.keys(env);
    await env.redis.client
      .multi()
      .hset(changes, id, JSON.stringify(stored))
      .hset(status, id, 'pending')
      .exec();
    return { ...stored.request, status: 'pending' };
  }

  async find(
    env: EnvironmentContext,
    id: string,
  ): Promise<{ request: ChangeRequest; payload: ChangePayload } | null> {
    const { changes, status } = this.keys(env);
    const [raw, state] = await Promise.all([
      env.redis.client.hget(changes, id),
      env.redis.client.hget(status, id),
    ]);
    if (!raw || !state) return null;
    const stored = JSON.parse(raw) as StoredChange;
    return {
      request: { ...stored.request, status: state as ChangeStatus },
      payload: this.opened(env, stored.request.group, stored.payload),
    };
  }

  async list(env: EnvironmentContext): Promise<ChangeRequest[]> {
    const { changes, status } = this.keys(env);
    const [all, states] = await Promise.all([
      env.redis.client.hgetall(changes),
      env.redis.client.hgetall(status),
    ]);
    return Object.entries(all)
      .map(([id, raw]) => ({
        ...(JSON.parse(raw) as StoredChange).request,
        status: (states[id] ?? 'pending') as ChangeStatus,
      }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** Pending requests of the environment (the metric). */
  async pendingCount(env: EnvironmentContext): Promise<number> {
    const states = await env.redis.client.hvals(this.keys(env).status);
    return states.filter((state) => state === 'pending').length;
  }

  /** True when this call moved the status from `from` to `to`. */
  async transition(
    env: EnvironmentContext,
    id: string,
    from: ChangeStatus,
    to: ChangeStatus,
  ): Promise<boolean> {
    const moved = await env.redis.client.eval(TRANSITION, 1, this.keys(env).status, id, from, to);
    return moved === 1;
  }

  /** Records who decided and what came of it (the status itself moved by `transition`). */
  async settle(
    env: EnvironmentContext,
    id: string,
    fields: Pick<ChangeRequest, 'decidedBy' | 'decidedAt' | 'outcome' | 'appliedVersion'>,
  ): Promise<void> {
    const { changes } = this.keys(env);
    const raw = await env.redis.client.hget(changes, id);
    if (!raw) return;
    const stored = JSON.parse(raw) as StoredChange;
    stored.request = { ...stored.request, ...fields };
    await env.redis.client.hset(changes, id, JSON.stringify(stored));
  }

  /** Secret values sealed with the environment's key ring (RCC_ENCRYPTION_KEY), when it has one. */
  private sealed(
    env: EnvironmentContext,
    group: string | null,
    payload: ChangePayload,
  ): ChangePayload {
    const ring = env.options.encryption;
    if (!ring) return payload;
    const seal = (name: string, config: ConfigDict) => {
      const sealedKeys = Object.keys(config).filter((key) => this.secrets.isSecretKey(key));
      const sealedConfig = Object.fromEntries(
        Object.entries(config).map(([key, value]) => [
          key,
          sealedKeys.includes(key) ? ring.seal(value, name, key) : value,
        ]),
      );
      return { config: sealedConfig, sealedKeys };
    };
    return {
      ...payload,
      ...(payload.config && group ? seal(group, payload.config) : {}),
      entries: payload.entries?.map((entry) => ({
        group: entry.group,
        version: entry.version,
        ...seal(entry.group, entry.config),
      })),
    };
  }

  private opened(
    env: EnvironmentContext,
    group: string | null,
    payload: ChangePayload,
  ): ChangePayload {
    const ring = env.options.encryption;
    const open = (name: string, config: ConfigDict, sealedKeys: string[] = []) =>
      !ring || sealedKeys.length === 0
        ? config
        : Object.fromEntries(
            Object.entries(config).map(([key, value]) => [
              key,
              sealedKeys.includes(key) ? ring.open(String(value), name, key) : value,
            ]),
          );
    return {
      ...payload,
      config:
        payload.config && group ? open(group, payload.config, payload.sealedKeys) : payload.config,
      entries: payload.entries?.map((entry) => ({
        group: entry.group,
        version: entry.version,
        config: open(entry.group, entry.config, entry.sealedKeys),
      })),
    };
  }
}
