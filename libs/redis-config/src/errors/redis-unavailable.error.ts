/** Redis did not answer in time (start-up with `failFast`, or a publisher's write). */
export class RedisUnavailableError extends Error {
  /** Always `'RedisUnavailableError'`. */
  override readonly name = 'RedisUnavailableError';

  constructor(reason: string) {
    super(`Redis is unavailable: ${reason}`);
  }
}
