import { createHash } from 'node:crypto';

/**
 * The canaries of one step: `floor(percent × holders)` of the group's holders, at least one.
 * Stable across steps: the nodes already chosen that still hold the group stay chosen, and the
 * rest are taken by the highest rendezvous score `sha1(rolloutId NUL nodeId)`, so the same holders
 * give the same choice at every step (and in every admin), and a later step only adds nodes.
 */
export function chooseCanaries(
  rolloutId: string,
  holders: readonly string[],
  percent: number,
  alreadyChosen: readonly string[] = [],
): string[] {
  if (holders.length === 0) return [];
  const wanted = Math.max(1, Math.floor((percent * holders.length) / 100));
  const live = new Set(holders);
  const kept = alreadyChosen.filter((id) => live.has(id));
  const keptSet = new Set(kept);
  const ranked = [...live]
    .filter((id) => !keptSet.has(id))
    .map((id) => ({ id, score: canaryScore(rolloutId, id) }))
    .sort((a, b) => (a.score < b.score ? 1 : a.score > b.score ? -1 : 0))
    .map(({ id }) => id);
  return [...kept, ...ranked.slice(0, Math.max(0, wanted - kept.length))].sort();
}

export function canaryScore(rolloutId: string, nodeId: string): string {
  return createHash('sha1').update(`${rolloutId}\u0000${nodeId}`, 'utf8').digest('hex');
}
