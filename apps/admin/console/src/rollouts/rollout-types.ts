import type { ConfigDict } from '../api/api-types';

/** One canary step: that share of the holders runs the candidate for `bakeMs`. */
export interface RolloutStep {
  percent: number;
  bakeMs: number;
}

/** `GET /api/groups/:name/rollouts/current` (DESIGN §13). */
export interface RolloutView {
  id: string;
  group: string;
  baseVersion: number;
  version: number;
  status: 'verifying' | 'canary' | 'promoted' | 'rolled-back' | 'aborted' | 'rejected';
  step: number;
  steps: RolloutStep[];
  canaryNodes: string[];
  problems: { nodeId: string; reason: string; at: string | null }[];
  config: ConfigDict;
  startedAt: string;
  stepEndsAt: string | null;
  finishedAt: string | null;
  revertedVersion: number | null;
  outcome: string | null;
  nodes: { id: string; version: number | null; canary: boolean }[];
}

/** `34:60000, 100:60000` → steps; null with the bad part when it does not read. */
export function parseSteps(text: string): { steps: RolloutStep[] } | { bad: string } {
  const parts = text
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter(Boolean);
  const steps: RolloutStep[] = [];
  for (const part of parts) {
    const match = /^(\d{1,3})%?:(\d{1,9})$/.exec(part);
    if (!match) return { bad: part };
    steps.push({ percent: Number(match[1]), bakeMs: Number(match[2]) });
  }
  return { steps };
}
