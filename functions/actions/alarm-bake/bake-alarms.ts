import { ActionFailure, type ActionResult } from '@pipeline-control-plane/action-runtime';
import type { AlarmBakeParams, AlarmBakeState } from './alarm-bake-params';

export interface AlarmStatus {
  readonly name: string;
  readonly state: 'OK' | 'ALARM' | 'INSUFFICIENT_DATA' | string;
  readonly reason?: string;
}

export interface BakeDependencies {
  readonly describeAlarms: (names: readonly string[]) => Promise<readonly AlarmStatus[]>;
  readonly now: () => number;
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly remainingTimeMs: () => number;
  readonly signal: AbortSignal;
}

const HANDOVER_MS = 2_000;
// Time kept for the DescribeAlarms call after a sleep (its latency and SDK retries): without it a slow or
// throttled call near the end of the invocation would time the job out instead of handing over.
const DESCRIBE_BUDGET_MS = 10_000;

/**
 * Polls the alarms until the bake time is over (success) or one is in ALARM (failure naming it). Polls
 * within an invocation while its time allows, then hands the deadline over in a continuation token.
 */
export async function bakeAlarms(
  params: AlarmBakeParams,
  previous: AlarmBakeState | undefined,
  deps: BakeDependencies,
): Promise<ActionResult<AlarmBakeState>> {
  const state = previous ?? { deadline: deps.now() + params.bakeMinutes * 60_000 };
  for (;;) {
    const alarms = await deps.describeAlarms(params.alarmNames);
    const found = new Set(alarms.map((alarm) => alarm.name));
    const missing = params.alarmNames.filter((name) => !found.has(name));
    if (missing.length > 0) {
      throw new ActionFailure(
        `Alarm(s) not found in this account and region: ${missing.join(', ')}. Check alarmNames.`,
        'ConfigurationError',
      );
    }
    const failing = alarms.filter(
      (alarm) =>
        alarm.state === 'ALARM' || (params.failOnInsufficientData && alarm.state === 'INSUFFICIENT_DATA'),
    );
    if (failing.length > 0) {
      const named = failing.map(
        (alarm) => `${alarm.name} is ${alarm.state} (${alarm.reason ?? 'no reason given'})`,
      );
      throw new ActionFailure(`Bake failed: ${named.join('; ')}.`);
    }
    const left = state.deadline - deps.now();
    if (left <= 0) {
      return {
        summary: `No alarm went into ALARM during the ${params.bakeMinutes}-minute bake: ${params.alarmNames.join(', ')}.`,
        outputVariables: { bakedMinutes: params.bakeMinutes },
      };
    }
    const wait = Math.min(params.pollSeconds * 1000, left);
    if (deps.remainingTimeMs() < wait + DESCRIBE_BUDGET_MS + HANDOVER_MS) {
      const total = params.bakeMinutes * 60_000;
      return {
        continueWith: state,
        summary: `Baking: ${Math.ceil(left / 60_000)} of ${params.bakeMinutes} minutes left, all alarms OK.`,
        percentComplete: ((total - left) / total) * 100,
      };
    }
    await deps.sleep(wait, deps.signal);
  }
}
