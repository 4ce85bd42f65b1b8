import { IsOptional, IsString, Matches, ValidateBy, ValidateIf } from 'class-validator';
import { AdminRole, isAdminRole } from '../auth/admin-role';
import { DEFAULT_SECRET_KEYS, secretKeyMatcher } from '../secrets/secret-keys';
import { parseEnvironments, parseProtectedEnvironments } from '../environments/environment-list';
import {
  BlankAsUnset,
  BooleanVariable,
  ChoiceVariable,
  IntegerVariable,
  validateEnvironment,
} from './environment-validation';

export const DEFAULT_ADMIN_PORT = 8079;
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_WRITE_RATE_LIMIT = 300;

const LABEL_PATTERN = /^[\w.@-]{1,64}$/;
// Visible ASCII without spaces or commas: what fits in an HTTP header and in `ADMIN_TOKENS`; at
// least 16 characters, so that a token cannot be guessed by trying (a one-letter token was taken).
export const TOKEN_PATTERN = /^[\x21-\x2b\x2d-\x7e]{16,512}$/;

// The messages about tokens never repeat the value: it is a secret.
export const tokenMessage = (variable: string) =>
  `${variable}: a token must be 16-512 visible ASCII characters, no "," or space`;
const TOKEN_LIST_MESSAGE =
  'ADMIN_TOKENS must be "label:token" or "label:token:role" entries, comma-separated ' +
  '(labels: letters, ._@-; roles: reader, writer, admin)';

/** `label:token[:role]` entries of `ADMIN_TOKENS` (empty items skipped), null for one without a label. */
export function tokenList(
  raw: string | undefined,
): ({ label: string; token: string; role?: AdminRole } | null)[] {
  return (raw ?? '')
    .split(',')
    .filter((item) => item.trim())
    .map((item) => {
      const separator = item.indexOf(':');
      const label = item.slice(0, separator).trim();
      if (separator < 0 || !LABEL_PATTERN.test(label)) return null;
      return { label, ...tokenAndRole(item.slice(separator + 1).trim()) };
    });
}

/**
 * `token` or `token:role`. A token may itself hold `:`, so only a last part naming a role is
 * taken as one (`abc:reader` is the token `abc` for a reader; `abc:xyz` is the token `abc:xyz`).
 */
function tokenAndRole(rest: string): { token: string; role?: AdminRole } {
  const at = rest.lastIndexOf(':');
  const role = at < 0 ? '' : rest.slice(at + 1).trim();
  return at > 0 && isAdminRole(role) ? { token: rest.slice(0, at).trim(), role } : { token: rest };
}

/** Which problem `ADMIN_TOKENS` has, or null. */
function tokenListProblem(raw: string, mainToken: string | undefined): string | null {
  const pairs = tokenList(raw);
  for (const pair of pairs) {
    if (!pair) return TOKEN_LIST_MESSAGE;
    // The label, never the token: a message must not carry a secret.
    if (!TOKEN_PATTERN.test(pair.token)) return tokenMessage(`ADMIN_TOKENS ("${pair.label}")`);
  }
  const tokens = [...(mainToken ? [mainToken] : []), ...pairs.map((pair) => pair!.token)];
  if (new Set(tokens).size !== tokens.length) {
    return 'ADMIN_TOKEN / ADMIN_TOKENS: two labels share one token';
  }
  return null;
}

/**
 * The admin service's own variables (the library checks its `RCC_*` and `REDIS_*` itself), as
 * `ConfigModule` validates them at start-up: each typed, with its default.
 */
export class AdminEnvironment {
  @IntegerVariable(0, 65535)
  ADMIN_PORT: number = DEFAULT_ADMIN_PORT;

  @BlankAsUnset()
  @IsOptional()
  @IsString()
  ADMIN_HOST?: string;

  @BlankAsUnset()
  @IsOptional()
  @Matches(TOKEN_PATTERN, { message: tokenMessage('ADMIN_TOKEN') })
  ADMIN_TOKEN?: string;

  @BlankAsUnset()
  @ValidateIf((environment: AdminEnvironment) => !!environment.ADMIN_TOKEN)
  @Matches(LABEL_PATTERN, { message: 'ADMIN_TOKEN_LABEL must be 1-64 letters, digits or ._@-' })
  ADMIN_TOKEN_LABEL = 'admin';

  @IsOptional()
  @ValidateBy({
    name: 'tokenList',
    validator: {
      validate: (value: unknown, args) =>
        typeof value === 'string' &&
        !tokenListProblem(value, (args?.object as AdminEnvironment).ADMIN_TOKEN),
      defaultMessage: (args) =>
        tokenListProblem(String(args?.value), (args?.object as AdminEnvironment).ADMIN_TOKEN) ??
        TOKEN_LIST_MESSAGE,
    },
  })
  ADMIN_TOKENS?: string;

  @IntegerVariable(1024, 512 * 1024 * 1024)
  ADMIN_BODY_LIMIT: number = DEFAULT_BODY_LIMIT_BYTES;

  @IntegerVariable(0, 1_000_000)
  ADMIN_WRITE_RATE_LIMIT: number = DEFAULT_WRITE_RATE_LIMIT;

  @BooleanVariable()
  ADMIN_MICROSERVICE = true;

  @ChoiceVariable(['json', 'text'])
  LOG_FORMAT: 'json' | 'text' = 'json';

  @ChoiceVariable(['info', 'debug'])
  LOG_LEVEL: 'info' | 'debug' = 'info';

  // Not blank-as-unset: `RCC_SECRET_KEYS=` (empty) means "no secret keys", not the default.
  @IsOptional()
  @ValidateBy({
    name: 'secretKeys',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && secretKeysProblem(value) === null,
      defaultMessage: (args) =>
        secretKeysProblem(String(args?.value)) ?? 'RCC_SECRET_KEYS is invalid',
    },
  })
  RCC_SECRET_KEYS: string = DEFAULT_SECRET_KEYS;

  // DESIGN §19: `name=url` entries; the messages name the environment, never its URL.
  @BlankAsUnset()
  @IsOptional()
  @ValidateBy({
    name: 'environments',
    validator: {
      validate: (value: unknown, args) =>
        environmentsProblem(value, args?.object as AdminEnvironment) === null,
      defaultMessage: (args) =>
        environmentsProblem(args?.value, args?.object as AdminEnvironment) ??
        'RCC_ENVIRONMENTS is invalid',
    },
  })
  RCC_ENVIRONMENTS?: string;

  @BlankAsUnset()
  @IsOptional()
  @ValidateBy({
    name: 'protectedEnvironments',
    validator: {
      validate: (value: unknown, args) =>
        protectedProblem(value, args?.object as AdminEnvironment) === null,
      defaultMessage: (args) =>
        protectedProblem(args?.value, args?.object as AdminEnvironment) ??
        'RCC_PROTECTED_ENVIRONMENTS is invalid',
    },
  })
  RCC_PROTECTED_ENVIRONMENTS?: string;

  /** Read here only to name the one environment when RCC_ENVIRONMENTS is unset. */
  @BlankAsUnset()
  @IsOptional()
  @IsString()
  REDIS_CONFIG_CENTER_TYPE?: string;
}

function problemOf(check: () => unknown): string | null {
  try {
    check();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function environmentsProblem(value: unknown, environment: AdminEnvironment): string | null {
  if (typeof value !== 'string') return 'RCC_ENVIRONMENTS must be name=url entries';
  const variables = environment as unknown as Record<string, unknown>;
  for (const variable of ['REDIS_SENTINELS', 'REDIS_CLUSTER_NODES']) {
    if (typeof variables[variable] === 'string' && variables[variable] !== '') {
      return (
        `RCC_ENVIRONMENTS gives each environment its connection: unset ${variable} ` +
        '(use a redis-sentinel:// or redis-cluster:// URL in RCC_ENVIRONMENTS)'
      );
    }
  }
  return problemOf(() => parseEnvironments(value));
}

function protectedProblem(value: unknown, environment: AdminEnvironment): string | null {
  if (typeof value !== 'string') return 'RCC_PROTECTED_ENVIRONMENTS must be names, comma-separated';
  let names = [environment.REDIS_CONFIG_CENTER_TYPE || 'PRODUCTION'];
  try {
    names = parseEnvironments(environment.RCC_ENVIRONMENTS)?.map((env) => env.name) ?? names;
  } catch {
    return null; // RCC_ENVIRONMENTS says what is wrong
  }
  return problemOf(() => parseProtectedEnvironments(value, names));
}

function secretKeysProblem(value: string): string | null {
  return problemOf(() => secretKeyMatcher(value));
}

/** `ConfigModule`'s `validate` for the admin: throws naming each bad variable. */
export const validateAdminEnvironment = (config: Record<string, unknown>) =>
  validateEnvironment(AdminEnvironment, config);
