import { randomUUID } from 'node:crypto';
import type { ReplanJob } from './replan';
import type { SlaThresholdListener } from './scheduler';

/** The re-plan runs of this node. */
export interface ReplanRegistry {
  /** This node; each run owns its job as `<node>:<run>`. */
  node: string;
  /** Runs by owner token. */
  running: Map<string, Promise<void>>;
  stopping: boolean;
  progress: Set<(job: ReplanJob) => void>;
}

/**
 * What the SLA feature keeps per node, made once with the server's context (`ctx.slaRuntime`)
 * instead of registries keyed by the context: the re-plan runs, the listeners of the
 * thresholds this node's scheduler fires, and the scheduler's early wake-up while it runs.
 */
export interface SlaRuntime {
  readonly replan: ReplanRegistry;
  readonly thresholdListeners: Set<SlaThresholdListener>;
  /** Set by the scheduler while it runs: newly planned timers due before its next run wake it. */
  waker: ((dueAt: Date) => void) | null;
}

export function createSlaRuntime(): SlaRuntime {
  return {
    replan: { node: randomUUID(), running: new Map(), stopping: false, progress: new Set() },
    thresholdListeners: new Set(),
    waker: null,
  };
}
