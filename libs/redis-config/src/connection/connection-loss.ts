const LOST_CONNECTION_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNREFUSED', 'ETIMEDOUT']);

/**
 * Whether a command failed because the connection to Redis is gone. When Redis dies, a command can
 * fail in the instant between the socket closing and ioredis changing its status, so `ready` may
 * still say true: these errors are told by what ioredis (with `enableOfflineQueue: false`, as our
 * connections are opened) throws then.
 */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  return (
    error.message.startsWith("Stream isn't writeable") ||
    error.message === 'Connection is closed.' ||
    error.name === 'MaxRetriesPerRequestError' ||
    (typeof code === 'string' && LOST_CONNECTION_CODES.has(code))
  );
}
