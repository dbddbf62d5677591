import type { PipelineExecutionSummary } from '@aws-sdk/client-codepipeline';
import type { HistoryStore, Scope } from '../../functions/history/adapters/history-store';
import { createAwsClientFactory } from '../../functions/platform/aws-clients';
import { codeDeployGateway } from '../../functions/rollback/adapters/codedeploy-gateway';
import { codePipelineGateway } from '../../functions/rollback/adapters/codepipeline-gateway';
import type { AnnouncementChannel } from '../../functions/rollback/ports';
import {
  type AlarmStateChangeEvent,
  parseAlarmEvent,
} from '../../functions/rollback/rollback-on-alarm/alarm-event';

/** An alarm entering ALARM at `stateTime`, as EventBridge delivers it (us-east-1, account 123456789012). */
export function alarmEvent(
  alarmName: string,
  stateTime: string,
  id = crypto.randomUUID(),
): AlarmStateChangeEvent {
  return parseAlarmEvent({
    version: '0',
    id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '123456789012',
    time: stateTime,
    region: 'us-east-1',
    resources: [`arn:aws:cloudwatch:us-east-1:123456789012:alarm:${alarmName}`],
    detail: {
      alarmName,
      state: { value: 'ALARM', timestamp: stateTime.replace('Z', '+0000'), reason: 'Threshold Crossed' },
      previousState: { value: 'OK', timestamp: '2026-11-24T11:00:00.000+0000' },
    },
  });
}

/** The CodeDeploy target most rollback tests guard: checkout/prod, on every `checkout-*` alarm. */
export const checkoutProdTarget = (mode: 'enforce' | 'observe') => ({
  kind: 'codedeploy' as const,
  application: 'checkout',
  deploymentGroup: 'prod',
  alarms: ['checkout-*'],
  mode,
  cooldownMinutes: 60,
});

/** Records one state of a checkout/prod deployment, as record-execution would from its event. */
export async function seedDeployment(
  history: HistoryStore,
  deploymentId: string,
  state: string,
  at: string,
  scope: Scope = history.hub,
) {
  await history.recordRun(
    {
      kind: 'deployment',
      runId: deploymentId,
      at,
      status: { status: state, statusAt: at, attempt: 1 },
      attributes: { application: 'checkout', deploymentGroup: 'prod', region: scope.region },
    },
    scope,
  );
}

/**
 * ListPipelineExecutions(succeededInStage) of payments/Prod, newest first, after e-good succeeded, e-undone was
 * rolled back to it by the ROLLBACK execution e-rb, and e-bad succeeded.
 */
export const listedAfterEarlierRollback = (): PipelineExecutionSummary[] => {
  const at = (time: string) => new Date(`2026-11-24T${time}:00Z`);
  return [
    { pipelineExecutionId: 'e-bad', executionType: 'STANDARD', startTime: at('11:20') },
    {
      pipelineExecutionId: 'e-rb',
      executionType: 'ROLLBACK',
      startTime: at('10:20'),
      rollbackMetadata: { rollbackTargetPipelineExecutionId: 'e-good' },
    },
    { pipelineExecutionId: 'e-undone', executionType: 'STANDARD', startTime: at('10:00') },
    { pipelineExecutionId: 'e-good', executionType: 'STANDARD', startTime: at('08:00') },
  ];
};

/** The real gateways over real SDK clients: aws-sdk-client-mock answers them in the integration tests. */
export function awsGateways() {
  const clients = createAwsClientFactory();
  return { deployments: codeDeployGateway(clients), pipelines: codePipelineGateway(clients) };
}

/** An announcement channel that keeps each subject it was told. */
export function recordingChannel(name: string, subjects: string[]): AnnouncementChannel {
  return {
    name,
    announce: async (announcement) => {
      subjects.push(announcement.subject);
    },
  };
}
