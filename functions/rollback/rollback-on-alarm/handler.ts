import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createHistoryStore } from '#history/adapters/history-store';
import { documentClient } from '#platform/dynamodb/document-client';
import { lambdaHandler } from '#platform/middleware/lambda-handler';
import { addMetricWithDimensions, createObservability } from '#platform/observability';
import { lazySlackApi } from '#platform/slack/lazy-slack-api';
import { awsSlackPlatform, type SlackHandlerPlatform } from '#platform/slack/slack-platform';
import { slackAnnouncementChannel, snsAnnouncementChannel } from '#rollback/adapters/announcement-channels';
import { codeDeployGateway } from '#rollback/adapters/codedeploy-gateway';
import { codePipelineGateway } from '#rollback/adapters/codepipeline-gateway';
import { createRollbackStore } from '#rollback/adapters/rollback-store';
import type { AnnouncementChannel } from '#rollback/ports';
import { type AlarmStateChangeEvent, parseAlarmEvent } from './alarm-event';
import { config, rollbackConfig, rollbackSlackChannel } from './config';
import { type RollbackDependencies, rollbackOnAlarm, type TargetOutcome } from './rollback-on-alarm';

const { logger, metrics } = createObservability('rollback-on-alarm');

/** Posts to the rollback channel through the approvals' Slack app; the client is built on first use. */
function slackChannel(channel: string | undefined, platform: SlackHandlerPlatform): AnnouncementChannel[] {
  if (!channel) return [];
  const slack = lazySlackApi(
    platform.slackCredentials,
    config.SLACK_SECRET_ARN || undefined,
    config.SLACK_API_URL,
  );
  return [slackAnnouncementChannel(channel, slack, (message, context) => logger.warn(message, context))];
}

type SharedDependencies = Omit<RollbackDependencies, 'deployments' | 'pipelines'>;

function rollbackDependencies(platform: SlackHandlerPlatform): SharedDependencies {
  const { clients } = platform;
  const storeOptions = {
    client: documentClient(clients),
    tableName: config.TABLE_NAME,
    retentionDays: config.HISTORY_RETENTION_DAYS,
  };
  const topicArn = config.ROLLBACK_TOPIC_ARN;
  return {
    config: rollbackConfig,
    rollbacks: createRollbackStore(storeOptions),
    history: createHistoryStore(storeOptions),
    announcements: [
      ...(topicArn ? [snsAnnouncementChannel(clients, topicArn)] : []),
      ...slackChannel(rollbackSlackChannel, platform),
    ],
    warn: (message, context) => logger.warn(message, context),
    now: () => new Date(),
  };
}

/**
 * CodeDeploy and CodePipeline in the account and region the alarm fired in: the factory keeps one client per
 * scope, and signs for another account with its spoke role's credentials. Reads retry (adaptive, 5 attempts);
 * calls that act are made once (the gateways say why).
 */
function inAlarmAccount(
  dependencies: SharedDependencies,
  { clients }: SlackHandlerPlatform,
  alarm: AlarmStateChangeEvent,
): RollbackDependencies {
  const scope = { account: alarm.account, region: alarm.region };
  return {
    ...dependencies,
    deployments: codeDeployGateway(clients, scope),
    pipelines: codePipelineGateway(clients, scope),
  };
}

export type RollbackOnAlarmResult =
  | { status: 'decided'; targets: TargetOutcome[] }
  | { status: 'rejected'; reason: string };

/**
 * Malformed events are answered by rejectMalformed, not thrown (a retry cannot fix them). DynamoDB failures, and an
 * act that got no answer, are thrown: Lambda retries, and the retry finishes the incident where the last attempt
 * stopped (reading AWS first when that attempt may have acted).
 */
export function createHandler(platform: SlackHandlerPlatform) {
  const dependencies = rollbackDependencies(platform);
  return lambdaHandler(
    async (event: unknown): Promise<RollbackOnAlarmResult> => {
      const parsed = parseAlarmEvent(event);
      const targets = await rollbackOnAlarm(parsed, inAlarmAccount(dependencies, platform, parsed));
      for (const target of targets) {
        // The decision's text as `decisionText`: Powertools reserves `message` for the log line's own text.
        const { message: decisionText, ...decision } = target;
        logger.info('Rollback decision', { alarmName: parsed.detail.alarmName, ...decision, decisionText });
        metrics.addMetric(`Rollback_${target.outcome}`, MetricUnit.Count, 1);
        if (target.outcome === 'unguarded') continue;
        // Per target too, so a dashboard or alarm can tell which service keeps getting rolled back.
        addMetricWithDimensions(
          metrics,
          { Target: target.targetId },
          `Rollback_${target.outcome}`,
          MetricUnit.Count,
          1,
        );
      }
      return { status: 'decided', targets };
    },
    { logger, metrics },
    { rejectMalformed: { logMessage: 'Rejected malformed alarm event' } },
  );
}

export const handler = createHandler(awsSlackPlatform());
