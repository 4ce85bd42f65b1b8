/** `rcc-admin --help`: what the service is and every env variable it reads. */
const VARIABLES: readonly (readonly [name: string, meaning: string])[] = [
  ['ADMIN_PORT', 'port of the REST API, console and /health (8079)'],
  ['ADMIN_HOST', 'interface to listen on (every interface)'],
  ['ADMIN_TOKEN', 'bearer token for every /api route (generated and printed at start when unset)'],
  ['ADMIN_TOKEN_LABEL', 'name of ADMIN_TOKEN in logs and history (admin)'],
  ['ADMIN_TOKENS', 'more tokens, "label:token[:role],..." (role: reader, writer, admin)'],
  ['ADMIN_BODY_LIMIT', 'largest request body or uploaded file, in bytes (1048576)'],
  ['ADMIN_WRITE_RATE_LIMIT', 'writes per minute per token, 0 = unlimited (300)'],
  ['ADMIN_MICROSERVICE', 'also serve the rcc.* message patterns over Redis (true)'],
  ['RCC_AUDIT_LIMIT', 'entries kept in the audit log (10000)'],
  ['LOG_FORMAT', '"json" (one object a line) or "text" (json)'],
  ['LOG_LEVEL', '"info", or "debug" to log every successful read too (info)'],
  [
    'RCC_SECRET_KEYS',
    'globs of keys masked in answers, empty = none (*apikey*,*api_key*,*secret*,*password*,*token*)',
  ],
  [
    'RCC_ENCRYPTION_KEY',
    'store secret values encrypted: "[id=]base64 of 32 bytes,...", the first encrypts (none)',
  ],
  ['METRICS_TOKEN', 'bearer token of GET /metrics (none: open; never ADMIN_TOKEN)'],
  ['RCC_WEBHOOKS', 'URLs POSTed on every write, "https://a,https://b" (none)'],
  ['RCC_WEBHOOK_SECRET', 'HMAC-SHA256 key of the webhook signature, 16+ characters (none)'],
  ['RCC_WEBHOOK_MAX_ATTEMPTS', 'attempts per webhook delivery before it is given up (8)'],
  ['RCC_WEBHOOK_RETRY_MS', 'first retry delay, doubled each time up to 10 min (1000)'],
  ['RCC_WEBHOOK_TIMEOUT_MS', 'how long one webhook POST may take (5000)'],
  ['RCC_WEBHOOK_LOG_LIMIT', 'attempts kept for GET /api/webhooks/deliveries (200)'],
  ['REDIS_URL', 'Redis host name, or a redis:// / rediss:// URL (localhost)'],
  ['REDIS_PORT', 'Redis port (6379)'],
  ['REDIS_DB', 'Redis database number (0)'],
  ['REDIS_PASSWORD', 'Redis password (none)'],
  ['REDIS_SENTINELS', 'use Sentinel: "host:port,host:port"'],
  ['REDIS_SENTINEL_NAME', 'master name, with REDIS_SENTINELS'],
  ['REDIS_CLUSTER_NODES', 'use Redis Cluster: "host:port,host:port"'],
  [
    'RCC_NAMESPACE',
    'hash key of the groups, tag of every other key (rcc::config::redis_config_center)',
  ],
  ['REDIS_CONFIG_CENTER_TYPE', 'environment label shown by the console (PRODUCTION)'],
  ['RCC_STARTUP_TIMEOUT_MS', 'how long start-up waits for Redis (5000)'],
  ['RCC_HISTORY_LIMIT', 'earlier versions kept per group (50)'],
  ['RCC_WRITE_REPLICAS', 'replicas that must acknowledge a write (1 with Sentinel, else 0)'],
  ['RCC_WRITE_REPLICA_TIMEOUT_MS', 'how long a write waits for them (1000)'],
  ['RCC_EVENT_INLINE_BYTES', 'largest group carried inside its change event (8192; 0 = never)'],
];

/** The help text; a `.env` file in the working directory is read too, real env variables win. */
export function adminHelp(version: string): string {
  const width = Math.max(...VARIABLES.map(([name]) => name.length));
  const rows = VARIABLES.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`);
  return [
    `rcc-admin ${version}: the Redis Config Center admin service (REST API, web console, /health)`,
    '',
    'Usage: rcc-admin [--help] [--version]',
    '',
    'Settings come from env variables (defaults in brackets):',
    ...rows,
    '',
    'Console at http://localhost:<ADMIN_PORT>/, OpenAPI at /api/docs, health at /health.',
    '',
  ].join('\n');
}
