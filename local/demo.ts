import { readFileSync } from 'node:fs';
import type { LocalControlPlane } from './control-plane';
import { type DemoJob, demoJobs } from './demo-actions';
import { replayGitHubDemo } from './demo-github';
import {
  alarmStateChange,
  DEMO_ALARMS_IN_ALARM,
  DEMO_ROLLBACK_CONFIG,
  DEMO_SHOP_ACCOUNT,
} from './demo-incidents';
import { alarmsInState } from './outbox';

interface Scenario {
  events: Record<string, unknown>[];
  sourceRevisions: Record<string, Record<string, unknown>[]>;
}

// CodePipeline publishes to a topic of the pipeline's own account: the approval's account is the topic's.
const DEMO_APPROVAL_TOPIC = `arn:aws:sns:${DEMO_SHOP_ACCOUNT.region}:${DEMO_SHOP_ACCOUNT.account}:ApprovalTopic`;
const SCENARIO = new URL('../events/demo/scenario.json', import.meta.url);

/**
 * Parameters the demo needs before the functions load (they read their configuration at import): the
 * rollback targets its alarms guard. A PARAM_<name> already set wins.
 */
export function applyDemoParameters(): void {
  process.env.PARAM_RollbackConfig ??= JSON.stringify(DEMO_ROLLBACK_CONFIG);
}

export interface DemoReplay {
  events: number;
  executions: number;
  jobs: (Pick<DemoJob, 'action' | 'expect' | 'story'> & { jobId: string })[];
}

/**
 * Replays events/demo/scenario.json into a running local control plane, every timestamp shifted so the last
 * event happened a minute ago (so "last 7 days" views show it). GetPipelineExecution answers from the
 * scenario's source revisions, as the real API would.
 */
export async function replayDemo(controlPlane: LocalControlPlane): Promise<DemoReplay> {
  const scenario = JSON.parse(readFileSync(SCENARIO, 'utf8')) as Scenario;
  const last = Math.max(...scenario.events.map((event) => Date.parse(String(event.time))));
  const shift = Date.now() - 60_000 - last;
  const shiftIso = (value: unknown) => new Date(Date.parse(String(value)) + shift).toISOString();

  controlPlane.outbox.respond('GetPipelineExecution', (input) => {
    const revisions = scenario.sourceRevisions[String(input.pipelineExecutionId)] ?? [];
    return {
      pipelineExecution: {
        pipelineName: input.pipelineName,
        pipelineExecutionId: input.pipelineExecutionId,
        artifactRevisions: revisions.map((revision) => ({
          ...revision,
          created: new Date(shiftIso(revision.created)),
        })),
      },
    };
  });

  const events = scenario.events.map((event) => {
    const detail = { ...(event.detail as Record<string, unknown>) };
    for (const field of ['start-time', 'stage-last-retry-attempt-time']) {
      if (detail[field]) detail[field] = shiftIso(detail[field]);
    }
    const trigger = detail['execution-trigger'] as Record<string, unknown> | undefined;
    if (trigger?.['author-date'])
      detail['execution-trigger'] = { ...trigger, 'author-date': shiftIso(trigger['author-date']) };
    return { ...event, time: shiftIso(event.time).replace(/\.\d{3}Z$/, 'Z'), detail };
  });
  await controlPlane.deliverEvents(events);
  const githubDeliveries = await replayGitHubDemo(controlPlane.url);
  await requestDemoApproval(controlPlane);

  // Two alarms go off now: one on payments-api's running production deployment (enforced: stopped), one on
  // checkout-service within its bake (observed: the redeploy it would do is recorded, not made).
  controlPlane.outbox.respond('DescribeAlarms', alarmsInState(DEMO_ALARMS_IN_ALARM));
  const now = new Date();
  await controlPlane.deliverEvents(DEMO_ALARMS_IN_ALARM.map((alarm) => alarmStateChange(alarm, now)));

  const jobs = demoJobs(now, controlPlane.url);
  for (const job of jobs) {
    const response = await fetch(`${controlPlane.url}/actions/${job.action}`, {
      method: 'POST',
      body: JSON.stringify(job.event),
    });
    if (!response.ok)
      throw new Error(`demo ${job.action} job failed: ${response.status} ${await response.text()}`);
  }
  return {
    events: events.length + githubDeliveries + DEMO_ALARMS_IN_ALARM.length,
    executions: Object.keys(scenario.sourceRevisions).length,
    jobs: jobs.map(({ action, expect, story, event }) => ({
      action,
      expect,
      story,
      jobId: (event['CodePipeline.job'] as { id: string }).id,
    })),
  };
}

/** payments-api's running execution waits for a release approval: the Slack sink gets its message. */
async function requestDemoApproval(controlPlane: LocalControlPlane): Promise<void> {
  const { region } = DEMO_SHOP_ACCOUNT;
  const view = `https://console.aws.amazon.com/codepipeline/home?region=${region}#/view/payments-api`;
  const message = {
    region,
    consoleLink: view,
    approval: {
      pipelineName: 'payments-api',
      stageName: 'Production',
      actionName: 'ReleaseApproval',
      token: 'demo-approval-token-0000',
      expires: new Date(Date.now() + 7 * 86_400_000).toISOString(),
      externalEntityLink:
        'https://github.com/acme/payments-api/commit/0718293a4b5c6d7e8f9012345678901234567890',
      approvalReviewLink: `${view}/Production/ReleaseApproval/approve/demo-approval-token-0000`,
      customData: 'Revert ledger batch writes: check the ledger dashboards before approving.',
    },
  };
  const response = await fetch(`${controlPlane.url}/sns`, {
    method: 'POST',
    body: JSON.stringify({ TopicArn: DEMO_APPROVAL_TOPIC, Message: JSON.stringify(message) }),
  });
  if (!response.ok)
    throw new Error(`demo approval request failed: ${response.status} ${await response.text()}`);
}
