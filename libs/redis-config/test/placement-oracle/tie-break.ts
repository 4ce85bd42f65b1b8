import { createHash } from 'node:crypto';

/**
 * Where a node starts among the `size` groups tied at the least load (in name order, wrapping):
 * the first 32 bits of SHA-1(node id), modulo `size`. The Lua script computes the same number
 * (`redis.sha1hex`), so both sides break ties alike; different nodes start at different groups,
 * and a node finds its group in O(log groups) (one rank lookup in the index), with no scan.
 */
export function tieBreakOffset(nodeId: string, size: number): number {
  if (size <= 0) return 0;
  const head = createHash('sha1').update(nodeId, 'utf8').digest('hex').slice(0, 8);
  return parseInt(head, 16) % size;
}

/** Byte order of the UTF-8 names: the order of members with equal scores in a Redis sorted set. */
export function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}
