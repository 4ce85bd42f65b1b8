/** Order statistics of a sample (nearest-rank quantiles: every figure is a value that was measured). */
export interface Summary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** The q-quantile (0..1) by nearest rank of an ascending-sorted, non-empty array. */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) throw new Error('quantile of an empty sample');
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    min: sorted[0],
    p50: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
    p99: quantileSorted(sorted, 0.99),
    max: sorted[sorted.length - 1],
    mean: total / sorted.length,
  };
}

export function median(values: readonly number[]): number {
  return quantileSorted(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/** Pairwise ratios a[i] / b[i] of two series measured side by side (same round). */
export function pairRatios(a: readonly number[], b: readonly number[]): number[] {
  if (a.length !== b.length) throw new Error('pairRatios: samples of different sizes');
  return a.map((value, index) => value / b[index]);
}

/** The median and the 1st and 99th percentiles of the pairwise ratios a[i] / b[i] (same rounds). */
export function ratioQuantiles(
  a: readonly number[],
  b: readonly number[],
): { p50: number; p1: number; p99: number } {
  const sorted = pairRatios(a, b).sort((x, y) => x - y);
  return {
    p50: quantileSorted(sorted, 0.5),
    p1: quantileSorted(sorted, 0.01),
    p99: quantileSorted(sorted, 0.99),
  };
}

/** A number for a table: about 3 significant digits, thousands separated. */
export function fmt(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.floor(Math.log10(Math.abs(value)));
  const decimals = Math.max(0, digits - 1 - magnitude);
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}
