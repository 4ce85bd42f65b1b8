import {
  listVariable,
  portVariable,
  type RedisConnectionOption,
} from '@rcc/redis-config/publisher';

/** One environment of `RCC_ENVIRONMENTS`: its name, its Redis and (optionally) its namespace. */
export interface EnvironmentSetting {
  name: string;
  /** `?namespace=` of its URL; null = `RCC_NAMESPACE` (or the default). */
  namespace: string | null;
  /** Every field given: nothing falls back to `REDIS_URL` / `REDIS_PASSWORD` of another Redis. */
  redis: RedisConnectionOption;
}

const NAME = /^[A-Za-z][\w-]{0,31}$/;
// An entry starts where a comma is followed by `name=`: a host list (`h1:26379,h2:26379`) has none.
const ENTRY_BOUNDARY = /,(?=\s*[A-Za-z][\w-]*\s*=)/;
const SCHEMES = [
  'redis',
  'rediss',
  'redis-sentinel',
  'redis-sentinels',
  'redis-cluster',
  'redis-clusters',
];
// scheme://[user[:password]@]hosts[/path][?query]; split by hand: `new URL` takes one host only.
const URL_SHAPE = /^([a-z-]+):\/\/(?:([^@/?]*)@)?([^/?]+)(?:\/([^?]*))?(?:\?(.*))?$/i;

/**
 * `RCC_ENVIRONMENTS`: `name=url` entries, comma-separated, in order (the first is the default).
 * `url` is `redis://` / `rediss://` (one server), `redis-sentinel[s]://[:pw@]h:p,h:p/master` or
 * `redis-cluster[s]://[:pw@]h:p,h:p` (the `s` forms use TLS), each with an optional
 * `?namespace=<ns>`. Blank = null (one environment on today's connection). Throws naming the
 * variable and the environment, never a URL (it may hold a password).
 */
export function parseEnvironments(raw: string | undefined): EnvironmentSetting[] | null {
  if (raw === undefined || raw.trim() === '') return null;
  const settings: EnvironmentSetting[] = [];
  for (const [index, entry] of raw.split(ENTRY_BOUNDARY).entries()) {
    const at = entry.indexOf('=');
    const name = entry.slice(0, Math.max(at, 0)).trim();
    if (at < 0 || !NAME.test(name)) {
      throw new Error(
        `RCC_ENVIRONMENTS: entry ${index + 1} must be name=redis://host:port (a name of ` +
          'letters, digits, _ or -, starting with a letter, at most 32)',
      );
    }
    if (settings.some((setting) => setting.name === name)) {
      throw new Error(`RCC_ENVIRONMENTS: the environment "${name}" is given twice`);
    }
    settings.push({ name, ...connectionOf(name, entry.slice(at + 1).trim()) });
  }
  return settings;
}

/**
 * `RCC_PROTECTED_ENVIRONMENTS`: names among `known`; an unknown one throws naming the known ones.
 */
export function parseProtectedEnvironments(raw: string | undefined, known: string[]): string[] {
  const names = listVariable(raw);
  for (const name of names) {
    if (!known.includes(name)) {
      throw new Error(
        `RCC_PROTECTED_ENVIRONMENTS: "${name}" is not an environment of this admin ` +
          `(known: ${known.join(', ')})`,
      );
    }
  }
  return names;
}

function connectionOf(name: string, url: string): Omit<EnvironmentSetting, 'name'> {
  const problem = (what: string) => new Error(`RCC_ENVIRONMENTS: environment "${name}": ${what}`);
  const match = URL_SHAPE.exec(url);
  const scheme = match?.[1].toLowerCase() ?? '';
  if (!match || !SCHEMES.includes(scheme)) {
    throw problem(`the URL must start with ${SCHEMES.map((s) => `${s}://`).join(', ')}`);
  }
  const [, , credentials, hostList, path = '', query = ''] = match;
  const namespace = namespaceOf(query, problem);
  const { username, password } = credentialsOf(credentials);
  const hosts = hostList.split(',').map((host) => hostOf(host.trim(), problem));
  // rediss://, redis-sentinels://, redis-clusters://: TLS.
  const tls = /^rediss$|s$/.test(scheme) && scheme !== 'redis' ? {} : undefined;
  if (scheme === 'redis' || scheme === 'rediss') {
    if (hosts.length !== 1) throw problem(`${scheme}:// takes one host (use redis-cluster://)`);
    const db = path === '' ? 0 : Number(path);
    if (!Number.isInteger(db) || db < 0 || db > 15) throw problem(`the db must be 0-15`);
    const { host, port } = hosts[0];
    return { namespace, redis: { host, port, db, username, password, tls, sentinels: undefined } };
  }
  if (scheme.startsWith('redis-sentinel')) {
    if (!path) throw problem('a Sentinel URL ends with /<master name>');
    return {
      namespace,
      redis: { sentinels: hosts, name: decodeURIComponent(path), username, password, tls },
    };
  }
  if (path) throw problem('a Cluster URL has no path');
  return {
    namespace,
    redis: { clusterNodes: hosts, clusterOptions: { redisOptions: { username, password, tls } } },
  };
}

function namespaceOf(query: string, problem: (what: string) => Error): string | null {
  if (!query) return null;
  const parameters = new URLSearchParams(query);
  for (const key of parameters.keys()) {
    if (key !== 'namespace') throw problem(`unknown URL parameter "${key}" (only ?namespace=)`);
  }
  const namespace = parameters.get('namespace')?.trim() ?? '';
  if (!/^[\w:.-]{1,128}$/.test(namespace)) {
    throw problem('?namespace= must be 1-128 letters, digits or _:.-');
  }
  return namespace;
}

function credentialsOf(raw: string | undefined): { username?: string; password?: string } {
  if (!raw) return { username: undefined, password: undefined };
  const colon = raw.indexOf(':');
  const user = decodeURIComponent(colon < 0 ? raw : raw.slice(0, colon));
  const password = colon < 0 ? undefined : decodeURIComponent(raw.slice(colon + 1));
  // `redis://secret@host`: a lone part is the password, as ioredis reads it.
  if (colon < 0) return { username: undefined, password: user || undefined };
  return { username: user || undefined, password: password || undefined };
}

function hostOf(raw: string, problem: (what: string) => Error): { host: string; port: number } {
  const match = /^(\[[^\]]+\]|[^:[\]]+)(?::(\d+))?$/.exec(raw);
  if (!match) throw problem('a host must be host or host:port');
  try {
    return {
      host: match[1].replace(/^\[|\]$/g, ''),
      port: portVariable('port', match[2], 6379),
    };
  } catch {
    throw problem('a port must be 1-65535');
  }
}
