/** The p-th percentile (0–100) by the nearest-rank method. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const spread = (counts: readonly number[]): number =>
  Math.max(...counts) - Math.min(...counts);

/** Nodes per group, for every group of `groups` (0 when nobody holds it). */
export function countPerGroup(
  placements: Iterable<string | null>,
  groups: readonly string[],
): number[] {
  const counts = new Map(groups.map((group) => [group, 0]));
  for (const group of placements) {
    if (group !== null && counts.has(group)) counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return groups.map((group) => counts.get(group) ?? 0);
}
