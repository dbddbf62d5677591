import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseApprovalMessage } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import type { ApprovalStore } from '../../../functions/approvals/ports';
import {
  POST_LEASE_SECONDS,
  type RequestDependencies,
  requestApproval,
  requestPostMetadata,
} from '../../../functions/approvals/request-approval/request-approval';
import { loadTemplate, serverlessFunctions } from '../../../tooling/template';
import {
  createFaultSchedule,
  FAULTS,
  type Fault,
  type FaultSchedule,
  fakeSlack,
  faultyApprovalStore,
} from '../../support/approval-faults';
import { documentedNotification } from '../../support/approvals';

const policy = parseApprovalsPolicy(
  JSON.stringify({ rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }] }),
);
const T0 = Date.parse('2016-06-30T20:22:00Z');
// SNS invokes the function asynchronously: Lambda retries a failed invocation twice, about 1 and 2 minutes
// later; then SNS may deliver the same notification once more (at least once).
const DELIVERY_DELAYS_MS = [0, 60_000, 120_000, 600_000];

let current: FaultSchedule = createFaultSchedule();
let store: ApprovalStore;
let cleanStore: ApprovalStore;
let requests = 0;

beforeAll(async () => {
  ({ store, cleanStore } = await faultyApprovalStore(() => current));
});

/** One approval notification and every delivery AWS makes of it, under the given fault schedule. */
async function requestUnderFaults(schedule: ReadonlyMap<number, Fault>, warnings: string[] = []) {
  current = createFaultSchedule(schedule);
  const slack = fakeSlack(() => current);
  const id = `request-${++requests}`;
  const notification = parseApprovalMessage(
    JSON.stringify({
      ...documentedNotification,
      approval: { ...documentedNotification.approval, token: id },
    }),
  );
  let nowMs = T0;
  const deps: RequestDependencies = {
    policy,
    store,
    slack: async () => slack.slack,
    recentExecutions: async () => [],
    newId: () => id,
    now: () => new Date(nowMs),
    warn: (message) => warnings.push(message),
  };
  for (const delay of DELIVERY_DELAYS_MS) {
    nowMs += delay;
    current.startInvocation();
    try {
      await requestApproval(notification, deps);
    } catch {
      // Lambda (then SNS) delivers it again.
    }
  }
  const posts = [...slack.messages.keys()];
  return { id, posts, record: await cleanStore.get(id), log: current.log };
}

function expectPostedExactlyOnce(end: Awaited<ReturnType<typeof requestUnderFaults>>) {
  const context = end.log.join('\n');
  expect(end.posts, context).toHaveLength(1);
  // Nothing left pending: the one message is the one recorded, so decisions and reminders update it.
  expect(end.record?.messageTs, context).toBe(end.posts[0]);
}

describe('the approval request post under throttling, lost responses, timeouts and crashes', () => {
  let callsWithoutFaults = 0;
  beforeAll(async () => {
    callsWithoutFaults = (await requestUnderFaults(new Map())).log.length;
  });

  it('posts once, with the metadata that finds it again, without faults', async () => {
    const end = await requestUnderFaults(new Map());
    expectPostedExactlyOnce(end);
    expect(requestPostMetadata(end.id)).toEqual({
      eventType: 'pipeline_approval_requested',
      payload: { approval_id: end.id },
    });
    expect(callsWithoutFaults).toBeGreaterThan(3);
  });

  it('survives any single fault at any call: one message, recorded', async () => {
    for (let call = 0; call < callsWithoutFaults + 6; call++) {
      for (const fault of FAULTS) expectPostedExactlyOnce(await requestUnderFaults(new Map([[call, fault]])));
    }
  }, 120_000);

  it('survives random schedules of two or three faults', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.tuple(fc.nat({ max: callsWithoutFaults + 10 }), fc.constantFrom(...FAULTS)), {
          minLength: 2,
          maxLength: 3,
          selector: ([call]) => call,
        }),
        async (faults) => expectPostedExactlyOnce(await requestUnderFaults(new Map(faults))),
      ),
      { numRuns: 120 },
    );
  }, 120_000);

  it('finds the post whose answer was lost instead of posting again', async () => {
    const warnings: string[] = [];
    // Calls: create, claim, chat.postMessage (its answer lost); the retry reads the history.
    const end = await requestUnderFaults(new Map([[2, 'lost-response']]), warnings);
    expectPostedExactlyOnce(end);
    expect(end.log.some((line) => line.includes('conversations.history'))).toBe(true);
    expect(warnings).toEqual([]);
  });
});

it('holds a post claim longer than the function can run: its holder is dead when the claim lapses', () => {
  const template = loadTemplate() as { Globals?: { Function?: { Timeout?: number } } };
  const requestFunction = serverlessFunctions(template as never).find(
    (fn) => fn.logicalId === 'RequestApprovalFunction',
  );
  expect(requestFunction).toBeDefined();
  const timeout =
    (requestFunction?.properties.Timeout as number | undefined) ?? template.Globals?.Function?.Timeout;
  expect(timeout).toBeDefined();
  expect(timeout as number).toBeLessThan(POST_LEASE_SECONDS);
});
