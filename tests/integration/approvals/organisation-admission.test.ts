import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApprovalStore } from '../../../functions/approvals/adapters/approval-store';
import { createPendingApprovals } from '../../../functions/approvals/adapters/pending-approval-api';
import type { ApprovalNotification } from '../../../functions/approvals/domain/approval-notification';
import { parseApprovalsPolicy } from '../../../functions/approvals/domain/approvals-policy';
import {
  approvalIdFor,
  type RequestDependencies,
  requestApproval,
} from '../../../functions/approvals/request-approval/request-approval';
import { createSlackApi } from '../../../functions/platform/slack/slack-client';
import { createOutbox } from '../../../local/outbox';
import { documentedNotification } from '../../support/approvals';
import { createTestTable } from '../../support/dynamo';
import { startSlackSink } from '../../support/slack-sink';
import { spokeClientsThroughOutbox, startStsStandIn } from '../../support/sts-stand-in';

/**
 * With OrganizationId, the hub's Lambda permission admits a spoke approval topic of its name from any account, and
 * membership of the organisation is not listed anywhere the hub can read. An unlisted account is admitted only
 * once the approval is seen waiting, with the notification's token, through that account's spoke role, which the
 * hub may assume in the organisation's accounts only (aws:ResourceOrgID; STS refuses the rest, as the stand-in
 * does here). A stranger's topic therefore posts nothing into Slack and stores nothing.
 */
const HUB = '111111111111';
const MEMBER = '333333333333';
const STRANGER = '999999999999';
const ROLE = 'pipeline-control-plane-spoke';
const REGION = 'eu-west-1';

const policy = parseApprovalsPolicy(
  JSON.stringify({ rules: [{ pipeline: '*', channel: 'C0APPROVALS', approvers: { users: ['U0ALICE'] } }] }),
);

let sts: Awaited<ReturnType<typeof startStsStandIn>>;
let sink: Awaited<ReturnType<typeof startSlackSink>>;
let approvals: ReturnType<typeof createApprovalStore>;
const outbox = createOutbox();
const warnings: string[] = [];

beforeAll(async () => {
  sts = await startStsStandIn();
  sink = await startSlackSink();
  const table = await createTestTable();
  approvals = createApprovalStore({ client: table.client, tableName: table.tableName });
});
afterAll(() => {
  sts.close();
  sink.close();
});
beforeEach(() => {
  sts.reset();
  sink.calls.length = 0;
  outbox.entries.length = 0;
  warnings.length = 0;
  // The approval waits at MyApprovalAction with this token; any other token is not (or no longer) waiting.
  outbox.respond('GetPipelineState', () => pipelineState('waiting-token'));
});

function pipelineState(token: string) {
  return {
    pipelineName: documentedNotification.approval.pipelineName,
    stageStates: [
      {
        stageName: 'Source',
        actionStates: [{ actionName: 'Source', latestExecution: { status: 'Succeeded' } }],
      },
      {
        stageName: documentedNotification.approval.stageName,
        actionStates: [
          { actionName: 'Other', latestExecution: { status: 'InProgress', token: 'other-action-token' } },
          {
            actionName: documentedNotification.approval.actionName,
            latestExecution: { status: 'InProgress', token },
          },
        ],
      },
    ],
  };
}

function dependencies(): RequestDependencies {
  const clients = spokeClientsThroughOutbox({
    hubAccount: HUB,
    roleName: ROLE,
    stsEndpoint: sts.endpoint,
    outbox,
  });
  return {
    policy,
    store: approvals,
    slack: async () => createSlackApi('xoxb-test', sink.url),
    recentExecutions: async () => [],
    admission: { hubAccount: HUB, spokeAccounts: [], organizationId: 'o-abcdefghij' },
    pendingApprovals: createPendingApprovals(clients),
    now: () => new Date('2016-06-30T20:22:00Z'),
    warn: (message) => warnings.push(message),
  };
}

const notification = (account: string, token: string): ApprovalNotification => ({
  ...documentedNotification,
  region: REGION,
  approval: { ...documentedNotification.approval, token },
  account,
});

describe("an organisation's unlisted accounts", () => {
  it('posts a request that is waiting, with its token, in the account it came from', async () => {
    const outcome = await requestApproval(notification(MEMBER, 'waiting-token'), dependencies());
    expect(outcome).toMatchObject({ status: 'posted', approvalId: approvalIdFor('waiting-token') });
    expect(sts.state.assumed).toEqual([`arn:aws:iam::${MEMBER}:role/${ROLE}`]);
    expect(outbox.entries.map((e) => [e.command, e.account, e.region, e.input])).toEqual([
      ['GetPipelineState', MEMBER, REGION, { name: 'MyFirstPipeline' }],
    ]);
    expect(sink.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it("refuses a stranger's topic: the hub may not assume a role outside the organisation", async () => {
    sts.state.refuse.add(`arn:aws:iam::${STRANGER}:role/${ROLE}`);
    const outcome = await requestApproval(notification(STRANGER, 'stranger-token'), dependencies());
    expect(outcome).toEqual({
      status: 'not-admitted',
      account: STRANGER,
      reason: `Cannot act in account ${STRANGER}: AssumeRole into arn:aws:iam::${STRANGER}:role/${ROLE} failed (AccessDenied: not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${STRANGER}:role/${ROLE}). Deploy the spoke stack there, or check that its ControlPlaneRole trusts this hub.`,
    });
    expect(outbox.entries).toEqual([]);
    expect(sink.calls).toEqual([]);
    expect(await approvals.get(approvalIdFor('stranger-token'))).toBeUndefined();
    expect(warnings).toEqual([
      'Approval notification refused: it comes from an account the hub does not admit',
    ]);
  });

  it('refuses a request whose token is not the one waiting there (forged, or already decided)', async () => {
    const outcome = await requestApproval(notification(MEMBER, 'forged-token'), dependencies());
    expect(outcome).toEqual({
      status: 'not-admitted',
      account: MEMBER,
      reason: `no approval with this token is waiting at MyFirstPipeline/MyApprovalStage/MyApprovalAction in account ${MEMBER} (${REGION})`,
    });
    expect(sink.calls).toEqual([]);
    expect(await approvals.get(approvalIdFor('forged-token'))).toBeUndefined();
  });

  it('refuses a pipeline the account does not have, and a spoke role that may not read its state', async () => {
    outbox.respond('GetPipelineState', () => {
      throw Object.assign(new Error('not found'), { name: 'PipelineNotFoundException' });
    });
    expect(await requestApproval(notification(MEMBER, 'no-pipeline'), dependencies())).toEqual({
      status: 'not-admitted',
      account: MEMBER,
      reason: `no pipeline MyFirstPipeline in account ${MEMBER}`,
    });
    outbox.respond('GetPipelineState', () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    });
    expect(await requestApproval(notification(MEMBER, 'old-spoke'), dependencies())).toEqual({
      status: 'not-admitted',
      account: MEMBER,
      reason: `the spoke role in account ${MEMBER} may not call GetPipelineState: update its spoke stack`,
    });
    expect(sink.calls).toEqual([]);
  });

  it('throws on a failure a retry may cure, storing and posting nothing, and posts on the retry', async () => {
    outbox.respond('GetPipelineState', () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    });
    const deps = dependencies();
    await expect(requestApproval(notification(MEMBER, 'waiting-token-2'), deps)).rejects.toThrow(
      'Rate exceeded',
    );
    expect(await approvals.get(approvalIdFor('waiting-token-2'))).toBeUndefined();
    expect(sink.calls).toEqual([]);
    outbox.respond('GetPipelineState', () => pipelineState('waiting-token-2'));
    expect(await requestApproval(notification(MEMBER, 'waiting-token-2'), deps)).toMatchObject({
      status: 'posted',
    });
  });

  it('does not read the state of the hub or of a listed spoke', async () => {
    const deps = {
      ...dependencies(),
      admission: { hubAccount: HUB, spokeAccounts: [MEMBER], organizationId: 'o-abcdefghij' },
    };
    await requestApproval(notification(HUB, 'hub-token'), deps);
    await requestApproval(notification(MEMBER, 'listed-token'), deps);
    expect(outbox.entries).toEqual([]);
    expect(sink.callsTo('chat.postMessage')).toHaveLength(2);
  });
});
