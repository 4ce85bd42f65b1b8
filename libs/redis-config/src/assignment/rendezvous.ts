import { createHash } from 'node:crypto';

/**
 * The rendezvous (highest-random-weight) score of a group for a node: SHA-1 of `group NUL nodeId`
 * as lowercase hex. Among equally loaded groups a node takes the highest score, so ties are broken
 * the same way on every run and by the Lua script (`redis.sha1hex` of the same bytes), and
 * different nodes spread over tied groups instead of all taking the first one.
 */
export function rendezvousScore(nodeId: string, group: string): string {
  return createHash('sha1').update(`${group}\u0000${nodeId}`, 'utf8').digest('hex');
}
