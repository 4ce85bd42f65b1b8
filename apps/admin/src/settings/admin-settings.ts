import { randomBytes } from 'node:crypto';
import type { AdminRole } from '../auth/admin-role';
import { parseEnvironments, type EnvironmentSetting } from '../environments/environment-list';
import { AdminEnvironment, tokenList, validateAdminEnvironment } from './admin-environment';

export {
  DEFAULT_ADMIN_PORT,
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_WRITE_RATE_LIMIT,
} from './admin-environment';

/** A bearer token, the name that goes with it (the author of its writes) and its role. */
export interface AdminToken {
  label: string;
  token: string;
  /** `admin` when absent (`ADMIN_TOKEN`, and `ADMIN_TOKENS` entries without a role). */
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
  /** `LOG_LEVEL`: `info`, or `debug` (also each successful read: the console polls every 2 s). */
  logLevel: 'info' | 'debug';
  /** `RCC_SECRET_KEYS`: globs of the top-level keys whose values are masked in every answer. */
  secretKeys: string;
  /** `RCC_ENVIRONMENTS`, in order; null = one environment on the library's connection. */
  environments: EnvironmentSetting[] | null;
  /** `RCC_PROTECTED_ENVIRONMENTS`, as given (checked against the environments' names). */
  protectedEnvironments?: string;
}

export const ADMIN_SETTINGS = Symbol('ADMIN_SETTINGS');

/** The settings of a validated environment; a token is generated when none is configured. */
export function adminSettingsFrom(environment: AdminEnvironment): AdminSettings {
  const tokens: AdminToken[] = [];
  if (environment.ADMIN_TOKEN) {
    tokens.push({ label: environment.ADMIN_TOKEN_LABEL, token: environment.ADMIN_TOKEN });
  }
  for (const pair of tokenList(environment.ADMIN_TOKENS)) if (pair) tokens.push(pair);
  const generated = tokens.length === 0;
  return {
    port: environment.ADMIN_PORT,
    host: environment.ADMIN_HOST ?? null,
    tokens: generated ? [{ label: 'admin', token: generateToken() }] : tokens,
    tokenGenerated: generated,
    bodyLimitBytes: environment.ADMIN_BODY_LIMIT,
    writeRateLimit: environment.ADMIN_WRITE_RATE_LIMIT,
    microservice: environment.ADMIN_MICROSERVICE,
    logFormat: environment.LOG_FORMAT,
    logLevel: environment.LOG_LEVEL,
    secretKeys: environment.RCC_SECRET_KEYS,
    environments: parseEnvironments(environment.RCC_ENVIRONMENTS),
    protectedEnvironments: environment.RCC_PROTECTED_ENVIRONMENTS,
  };
}

/**
 * The settings of `env` validated as `ConfigModule` does at start-up, with `overrides` on top:
 * how tests and benchmarks build an admin without a `.env` file or `process.env`.
 */
export function resolveAdminSettings(
  env: Record<string, string | undefined>,
  overrides: Partial<AdminSettings> = {},
): AdminSettings {
  const settings = { ...adminSettingsFrom(validateAdminEnvironment(env)), ...overrides };
  if (overrides.tokens) settings.tokenGenerated = overrides.tokenGenerated ?? false;
  return settings;
}

/** 32 random bytes, URL-safe: fits a header and a shell variable without quoting. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}
