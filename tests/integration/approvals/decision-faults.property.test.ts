import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvalRequestMessage } from '../../../functions/approvals/adapters/approval-messages';
import type { ApprovalRecord } from '../../../functions/approvals/adapters/approval-store';
import { finishClick } from '../../../functions/approvals/approval-decisions/finish-click';
import { settleOwedApprovals } from '../../../functions/approvals/approval-reminders/settle-owed';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import type { DecisionOutcome } from '../../../functions/approvals/domain/decide-approval';
import type { ApprovalStore } from '../../../functions/approvals/ports';
import {
  createFaultSchedule,
  FAULTS,
  type Fault,
  type FaultSchedule,
  fakeCodePipeline,
  fakeSlack,
  faultyApprovalStore,
} from '../../support/approval-faults';

const policy = parseApprovalsPolicy(
  JSON.stringify({ rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }] }),
);
const T0 = Date.parse('2026-03-02T10:00:00Z');
const MESSAGE_TS = '1700000000.000100';
// Lambda retries a failed asynchronous invocation twice, about 1 and 2 minutes later.
const LAMBDA_RETRY_DELAYS_MS = [0, 60_000, 120_000];
// The reminders schedule: every 5 minutes; four runs after the worker gave up.
const SCHEDULE_RUNS = 4;

let current: FaultSchedule = createFaultSchedule();
let store: ApprovalStore;
let cleanStore: ApprovalStore;

beforeAll(async () => {
  ({ store, cleanStore } = await faultyApprovalStore(() => current));
});

/**
 * One approval, one click on it, and everything AWS does after: the worker's invocation and Lambda's two
 * retries, then the reminders schedule's runs, all under the given fault schedule (calls numbered across
 * DynamoDB, CodePipeline and Slack, in the order made).
 */
async function clickUnderFaults(schedule: ReadonlyMap<number, Fault>, outcome: DecisionOutcome) {
  current = createFaultSchedule(schedule);
  const codePipeline = fakeCodePipeline(() => current);
  const slack = fakeSlack(() => current);
  const id = randomUUID();
  const record: Omit<ApprovalRecord, 'rev'> = {
    id,
    token: randomUUID(),
    pipeline: 'web',
    stage: 'Prod',
    action: 'Approve',
    region: 'us-east-1',
    deadline: T0 + 86_400_000,
    quorum: 1,
    channel: 'C0APPROVALS',
    status: 'PENDING',
    decisions: [],
    createdAt: new Date(T0 - 60_000).toISOString(),
  };
  await cleanStore.create(record);
  await cleanStore.setMessage(id, 'C0APPROVALS', MESSAGE_TS);
  slack.messages.set(MESSAGE_TS, approvalRequestMessage(record));

  let nowMs = T0;
  const deps = {
    policy,
    store,
    slack: async () => slack.slack,
    userEmail: slack.slack.userEmail,
    putApprovalResult: codePipeline.putApprovalResult,
    now: () => new Date(nowMs),
    warn: () => {},
  };
  const job = {
    approvalId: id,
    decision: {
      userId: 'U0ALICE',
      userName: 'alice',
      outcome,
      at: new Date(T0).toISOString(),
      clickId: `trigger-${id}`,
      ...(outcome === 'Rejected' ? { comment: 'breaks checkout' } : {}),
    },
  };
  for (const delay of LAMBDA_RETRY_DELAYS_MS) {
    nowMs += delay;
    current.startInvocation();
    try {
      await finishClick(job, deps);
      break;
    } catch {
      // Lambda retries the job.
    }
  }
  for (let run = 0; run < SCHEDULE_RUNS; run++) {
    nowMs += 5 * 60_000;
    current.startInvocation();
    try {
      await settleOwedApprovals(deps);
    } catch {
      // EventBridge Scheduler runs it again in 5 minutes.
    }
  }
  const farFuture = new Date(nowMs + 86_400_000);
  return {
    applied: codePipeline.applied.get(record.token) ?? [],
    message: slack.messages.get(MESSAGE_TS),
    record: await cleanStore.get(id),
    stillOwed: [
      ...(await cleanStore.unconfirmedSince(farFuture)),
      ...(await cleanStore.staleMessagesSince(farFuture)),
    ].some((owed) => owed.id === id),
    log: current.log,
  };
}

function expectDecidedExactlyOnce(
  end: Awaited<ReturnType<typeof clickUnderFaults>>,
  outcome: DecisionOutcome,
) {
  const status = outcome === 'Approved' ? 'APPROVED' : 'REJECTED';
  const context = end.log.join('\n');
  expect(
    end.applied.map((result) => result.status),
    context,
  ).toEqual([outcome]);
  expect(end.record, context).toMatchObject({
    status,
    resultSentAt: expect.any(String),
    messageShows: status,
  });
  expect(end.message?.text, context).toMatch(new RegExp(`^${outcome}: web / Prod`));
  expect(JSON.stringify(end.message?.blocks), context).not.toContain('"actions"');
  expect(end.stillOwed, context).toBe(false);
}

describe('a Slack decision under throttling, lost responses, timeouts and crashes', () => {
  let callsWithoutFaults = 0;
  beforeAll(async () => {
    const end = await clickUnderFaults(new Map(), 'Approved');
    callsWithoutFaults = end.log.length;
  });

  it('is decided once and shown without faults', async () => {
    expectDecidedExactlyOnce(await clickUnderFaults(new Map(), 'Approved'), 'Approved');
    expect(callsWithoutFaults).toBeGreaterThan(5);
  });

  it('survives any single fault at any call: applied once, message final, nothing owed', async () => {
    // Every call a fault-free run makes, and a few beyond (the calls a fault adds).
    for (let call = 0; call < callsWithoutFaults + 6; call++) {
      for (const fault of FAULTS) {
        for (const outcome of ['Approved', 'Rejected'] as const) {
          expectDecidedExactlyOnce(await clickUnderFaults(new Map([[call, fault]]), outcome), outcome);
        }
      }
    }
  }, 120_000);

  it('survives random schedules of two faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.nat({ max: callsWithoutFaults + 10 }), fc.constantFrom(...FAULTS)), {
          minLength: 2,
          maxLength: 2,
          selector: ([call]) => call,
        }),
        fc.constantFrom<DecisionOutcome>('Approved', 'Rejected'),
        async (faults, outcome) => {
          expectDecidedExactlyOnce(await clickUnderFaults(new Map(faults), outcome), outcome);
        },
      ),
      { numRuns: 150 },
    );
  }, 120_000);
});
