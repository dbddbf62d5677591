import type { RollbackRecord } from './rollback-record';

/**
 * Where an incident is between its decision and its last announcement. Each step that touches the world (the act,
 * the announcement) is claimed, performed, then confirmed by moving to the next step.
 */
export type IncidentStep = 'act' | 'announce' | 'done';

/** A recorded incident with the bookkeeping that lets any delivery of it carry on where the last one stopped. */
export interface StoredIncident extends RollbackRecord {
  progress: IncidentStep;
  /** The invocation whose decision was recorded (an SDK retry of that write recognises its own). */
  decidedBy?: string;
  /** Invocations that claimed the act; more than one means an earlier attempt may have acted. */
  actAttempts: string[];
  /** When the act was first claimed: the start of the window in which our own earlier act is looked for. */
  firstActAt?: string;
  /** Per announcement channel: `sent`, why it failed, or `announcing since <time>` while its answer is unknown. */
  announced: Record<string, string>;
}

/** The answer to a claim on a step. */
export type StepClaim =
  | {
      claimed: true;
      /** Other invocations that claimed this step before: they may have acted before they died. */
      earlierAttempts: number;
      firstClaimedAt: string;
    }
  /** The step has moved on, or a live invocation holds it. */
  | { claimed: false };

/** An invocation that claims a step holds it this long; longer than the function's timeout, so it is dead by then. */
export const STEP_LEASE_SECONDS = 60;

/** How many invocations may try an act before a failure to confirm it is recorded as final. */
export const MAX_ACT_ATTEMPTS = 3;
