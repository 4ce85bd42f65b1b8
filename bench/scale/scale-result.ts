/** What a cheap membership change cost (medians of a few, one at a time). */
export interface MembershipCost {
  bytesToOthers: number;
  messagesToOthers: number;
  bytesOut: number;
  cpuMs: number;
  /** cpuMs minus Redis's background CPU over as long a window without the operation. */
  netCpuMs: number;
  scriptMs: number;
}

/** One run of scale.bench.ts at one size, as bench/results/scale*.json hold it. */
export interface SizeResult {
  /**
   * The wire measured: this release's; `legacy` in results saved while the unreleased protocol 1
   * was still compared (bench/results/scale.json of issue 12).
   */
  protocol: 'v2' | 'legacy';
  /** Bytes of JSON per group (about 1 KB when absent: results saved before the option). */
  groupBytes?: number;
  nodes: number;
  storm: {
    placedMs: number;
    spread: number;
    /** After the idle window (17 s later). */
    settledSpread: number;
    unplaced: number;
    p99Us: Record<string, number>;
  };
  leaseMs: number;
  refreshMs: number;
  stormMs: number;
  /** Heartbeats that found their place gone (storm + idle window): leases that ran out. */
  lostPlaces: number;
  /** The same, while publishes, leaves, joins and the delete were measured (should be 0). */
  lostPlacesWhileMeasuring: number;
  idleCpuPercent: number;
  publish: {
    bytesOut: number;
    cpuMs: number;
    netCpuMs: number;
    /** Redis time in the publish script itself (EVALSHA usec). */
    scriptMs: number;
    appliedP50: number | null;
    appliedP99: number | null;
    heardBy: number;
  };
  leave: MembershipCost;
  join: MembershipCost;
  deleteHot: { reassigned: number; p99Ms: number | null };
  errors: number;
  /** Subscriber connects that failed during the storm (retried) — a sign the accept queue overflowed. */
  connectErrors: number;
}
