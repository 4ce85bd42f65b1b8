import { randomBytes } from 'node:crypto';
import { AdminRole, isAdminRole } from '../auth/admin-role';

/** A bearer token, the name that goes with it (the author of its writes) and its role. */
export interface AdminToken {
  label: string;
  token: string;
  /** `admin` when absent. */
  role?: AdminRole;
}

/** The admin service's own settings (the library's options are resolved by the library). */
export interface AdminSettings {
  /** `ADMIN_PORT`, 8079. */
  port: number;
  /** `ADMIN_HOST`; null = every interface. */
  host: string | null;
  /** From `ADMIN_TOKEN` (+ `ADMIN_TOKEN_LABEL`) and `ADMIN_TOKENS`; one generated when none is set. */
  tokens: AdminToken[];
  /** True when no token was configured and one was generated (it is printed once at start-up). */
  tokenGenerated: boolean;
  /** `ADMIN_BODY_LIMIT`: the largest accepted body or uploaded file, in bytes (1 MiB). */
  bodyLimitBytes: number;
  /** `ADMIN_WRITE_RATE_LIMIT`: writes per minute per token; 0 = unlimited. */
  writeRateLimit: number;
  /** `ADMIN_MICROSERVICE`: also serve the message patterns over the Redis transport. */
  microservice: boolean;
  /** `LOG_FORMAT`: `json` (one object a line, for log collectors) or `text`. */
  logFormat: 'json' | 'text';
}

export const ADMIN_SETTINGS = Symbol('ADMIN_SETTINGS');

export const DEFAULT_ADMIN_PORT = 8079;
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_WRITE_RATE_LIMIT = 300;

const LABEL_PATTERN = /^[\w.@-]{1,64}$/;
// Visible ASCII without spaces or commas: what fits in an HTTP header and in `ADMIN_TOKENS`.
const TOKEN_PATTERN = /^[\x21-\x2b\x2d-\x7e]{1,512}$/;

type Env = Record<string, string | undefined>;

/** Reads the admin settings from the environment, checking each; throws naming the bad variable. */
export function resolveAdminSettings(
  env: Env = process.env,
  overrides: Partial<AdminSettings> = {},
): AdminSettings {
  const { tokens, generated } = overrides.tokens
    ? { tokens: overrides.tokens, generated: overrides.tokenGenerated ?? false }
    : tokensFrom(env);
  return {
    port: overrides.port ?? integer(env, 'ADMIN_PORT', DEFAULT_ADMIN_PORT, 0, 65535),
    host: overrides.host !== undefined ? overrides.host : env.ADMIN_HOST || null,
    tokens,
    tokenGenerated: generated,
    bodyLimitBytes:
      overrides.bodyLimitBytes ??
      integer(env, 'ADMIN_BODY_LIMIT', DEFAULT_BODY_LIMIT_BYTES, 1024, 512 * 1024 * 1024),
    writeRateLimit:
      overrides.writeRateLimit ??
      integer(env, 'ADMIN_WRITE_RATE_LIMIT', DEFAULT_WRITE_RATE_LIMIT, 0, 1_000_000),
    microservice: overrides.microservice ?? boolean(env, 'ADMIN_MICROSERVICE', true),
    logFormat: overrides.logFormat ?? logFormat(env),
  };
}

function tokensFrom(env: Env): { tokens: AdminToken[]; generated: boolean } {
  const tokens: AdminToken[] = [];
  if (env.ADMIN_TOKEN) {
    const label = env.ADMIN_TOKEN_LABEL || 'admin';
    if (!LABEL_PATTERN.test(label)) {
      throw new Error('ADMIN_TOKEN_LABEL must be 1-64 letters, digits or ._@-');
    }
    tokens.push({ label, token: checkedToken('ADMIN_TOKEN', env.ADMIN_TOKEN) });
  }
  for (const item of (env.ADMIN_TOKENS ?? '').split(',')) {
    if (!item.trim()) continue;
    const separator = item.indexOf(':');
    const label = item.slice(0, separator).trim();
    if (separator < 0 || !LABEL_PATTERN.test(label)) {
      throw new Error(
        'ADMIN_TOKENS must be "label:token" or "label:token:role" entries, comma-separated ' +
          '(labels: letters, ._@-; roles: reader, writer, admin)',
      );
    }
    tokens.push({ label, ...tokenAndRole(item.slice(separator + 1).trim()) });
  }
  if (new Set(tokens.map((t) => t.token)).size !== tokens.length) {
    throw new Error('ADMIN_TOKEN / ADMIN_TOKENS: two labels share one token');
  }
  if (tokens.length) return { tokens, generated: false };
  return { tokens: [{ label: 'admin', token: generateToken() }], generated: true };
}

/**
 * `token` or `token:role`. A token may itself hold `:`, so only a last part naming a role is
 * taken as one (`abc:reader` is the token `abc` for a reader; `abc:xyz` is the token `abc:xyz`).
 */
function tokenAndRole(rest: string): { token: string; role?: AdminRole } {
  const at = rest.lastIndexOf(':');
  const role = at < 0 ? '' : rest.slice(at + 1).trim();
  if (at > 0 && isAdminRole(role)) {
    return { token: checkedToken('ADMIN_TOKENS', rest.slice(0, at).trim()), role };
  }
  return { token: checkedToken('ADMIN_TOKENS', rest) };
}

/** 32 random bytes, URL-safe: fits a header and a shell variable without quoting. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function checkedToken(variable: string, token: string): string {
  // The message never repeats the value: it is a secret.
  if (!TOKEN_PATTERN.test(token)) {
    throw new Error(`${variable}: a token must be 1-512 visible ASCII characters, no "," or space`);
  }
  return token;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got ${JSON.stringify(env[name])}`);
}

function logFormat(env: Env): 'json' | 'text' {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (!raw) return 'json';
  if (raw === 'json' || raw === 'text') return raw;
  throw new Error(`LOG_FORMAT must be "json" or "text", got ${JSON.stringify(env.LOG_FORMAT)}`);
}
