import type { Server } from 'node:http';
import type Redis from 'ioredis';
import request from 'supertest';
import { startAdmin, TestAdmin } from '../admin/admin-app';
import { RedisServer } from '../helpers/redis-server';

/** The answer of one hostile request, as the checks need it. */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
  contentType: string;
}

/**
 * The real admin service on a real Redis for the hostile suites: no write rate limit (property
 * runs write hundreds of times a minute), raw bodies sent byte for byte, and a raw Redis client
 * to count what is stored behind the API's back.
 */
export class HostileAdmin {
  private constructor(
    readonly redis: RedisServer,
    readonly admin: TestAdmin,
    readonly raw: Redis,
  ) {}

  static async start(): Promise<HostileAdmin> {
    const redis = await RedisServer.start();
    const admin = await startAdmin(redis, { settings: { writeRateLimit: 0 } });
    return new HostileAdmin(redis, admin, redis.client());
  }

  get http(): Server {
    return this.admin.app.getHttpServer();
  }

  get namespace(): string {
    return this.admin.namespace;
  }

  /** Sends `body` exactly as given (a string is sent as is, with the JSON content type). */
  async send(
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    body?: string | object,
    contentType = 'application/json',
  ): Promise<Answer> {
    let call = request(this.http)[method](path).set('Authorization', this.admin.auth);
    if (body !== undefined) call = call.set('Content-Type', contentType).send(body);
    const response = await call;
    return {
      status: response.status,
      body: response.body as unknown,
      text: response.text,
      contentType: String(response.headers['content-type'] ?? ''),
    };
  }

  /** Number of groups in the namespace hash, read behind the API's back. */
  groupCount(): Promise<number> {
    return this.raw.hlen(this.namespace);
  }

  /** The stored JSON of every group (field → value), to prove a refused request wrote nothing. */
  storedGroups(): Promise<Record<string, string>> {
    return this.raw.hgetall(this.namespace);
  }

  async clear(): Promise<void> {
    const keys = await this.raw.keys(`*${this.namespace}*`);
    if (keys.length) await this.raw.del(...keys);
  }

  async close(): Promise<void> {
    this.raw.disconnect();
    await this.admin.app.close();
    await this.redis.dispose();
  }
}

export const groupPath = (name: string): string => `/api/groups/${encodeURIComponent(name)}`;

/**
 * A 4xx in the admin's JSON error format; a 400 must name at least one field (a field may be
 * named "" when the client sent a key "").
 */
export function isCleanRefusal(answer: Answer): boolean {
  if (answer.status < 400 || answer.status >= 500) return false;
  if (!answer.contentType.includes('application/json')) return false;
  const body = answer.body as { statusCode?: unknown; message?: unknown; problems?: unknown };
  if (body.statusCode !== answer.status || typeof body.message !== 'string') return false;
  if (answer.status !== 400) return true;
  return (
    Array.isArray(body.problems) &&
    body.problems.length > 0 &&
    body.problems.every(
      (p: { field?: unknown; message?: unknown }) =>
        typeof p.field === 'string' && typeof p.message === 'string' && p.message.length > 0,
    )
  );
}

/** The fields a 400 names (empty for anything else). */
export function problemFields(answer: Answer): string[] {
  const problems = (answer.body as { problems?: { field: string }[] }).problems;
  return Array.isArray(problems) ? problems.map((p) => p.field) : [];
}

/** JSON with object keys sorted, to compare configs as data (key order is not meaning). */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
