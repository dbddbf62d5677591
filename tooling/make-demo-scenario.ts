/**
 * Writes events/demo/scenario.json: four pipelines in three accounts and two regions over a few days
 * (successes, a CodeDeploy failure that is retried and then succeeds, a stopped execution, a superseded one,
 * one still running; `checkout-service` in two accounts), as the EventBridge events CodePipeline, CodeBuild
 * and CodeDeploy would emit. `npm start -- --demo` replays it with times shifted so that its last event is
 * "now". Deterministic: the same file on every run. Run: npx tsx tooling/make-demo-scenario.ts
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';

type Outcome = 'SUCCEEDED' | 'FAILED';
interface StagePlan {
  stage: string;
  actions: { name: string; provider: string; category: string; outcome?: Outcome; minutes: number }[];
}
/** Where a pipeline runs: the account and region its events carry and its ARNs name. */
interface Place {
  account: string;
  region: string;
}
// The sample events' account (so events/ samples meet the demo's history), and two spokes in Europe: the
// second has a `checkout-service` of its own, the name the first uses too.
const SHOP_US: Place = { account: '123456789012', region: 'us-east-1' };
const SHOP_EU: Place = { account: '222222222222', region: 'eu-west-1' };
const WEB_EU: Place = { account: '333333333333', region: 'eu-west-1' };
const events: Record<string, unknown>[] = [];
const sourceRevisions: Record<string, unknown[]> = {};
let serial = 0;

const uuid = (seed: string) => {
  const h = createHash('sha1').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function emit(
  { account, region }: Place,
  detailType: string,
  source: string,
  at: number,
  detail: Record<string, unknown>,
  resource: string,
) {
  events.push({
    version: '0',
    id: uuid(`event-${serial++}`),
    'detail-type': detailType,
    source,
    account,
    time: iso(at),
    region,
    resources: [resource],
    detail,
  });
}

/**
 * The CodeBuild build or CodeDeploy deployment an action started: its own state-change event, `started` or
 * the action's outcome. Other providers run nothing of their own.
 */
function emitRunEvent(
  place: Place,
  pipeline: string,
  stage: string,
  provider: string,
  runId: string,
  state: 'started' | 'SUCCEEDED' | 'FAILED',
  at: number,
) {
  if (provider === 'CodeBuild') {
    const buildArn = `arn:aws:codebuild:${place.region}:${place.account}:build/${runId}`;
    emit(
      place,
      'CodeBuild Build State Change',
      'aws.codebuild',
      at,
      {
        'build-status': state === 'started' ? 'IN_PROGRESS' : state,
        'project-name': `${pipeline}-build`,
        'build-id': buildArn,
        'additional-information': { initiator: `codepipeline/${pipeline}` },
      },
      buildArn,
    );
  }
  if (provider === 'CodeDeploy') {
    emit(
      place,
      'CodeDeploy Deployment State-change Notification',
      'aws.codedeploy',
      at,
      {
        region: place.region,
        application: pipeline,
        deploymentId: runId,
        state: state === 'started' ? 'START' : state === 'SUCCEEDED' ? 'SUCCESS' : 'FAILURE',
        deploymentGroup: stage.toLowerCase(),
      },
      `arn:aws:codedeploy:${place.region}:${place.account}:application:${pipeline}`,
    );
  }
}

function execution(
  place: Place,
  pipeline: string,
  n: number,
  startMs: number,
  plan: StagePlan[],
  end: 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'SUPERSEDED' | 'RUNNING',
  commit: { id: string; message: string; ageMinutes: number },
) {
  // The first account keeps the seeds it always had; another account's same-named pipeline gets its own ids.
  const seed = place === SHOP_US ? `${pipeline}-${n}` : `${place.account}-${place.region}-${pipeline}-${n}`;
  const executionId = uuid(seed);
  const arn = `arn:aws:codepipeline:${place.region}:${place.account}:${pipeline}`;
  const emitHere = (
    detailType: string,
    source: string,
    at: number,
    detail: Record<string, unknown>,
    resource: string,
  ) => emit(place, detailType, source, at, detail, resource);
  const base = {
    pipeline,
    'execution-id': executionId,
    'start-time': new Date(startMs).toISOString(),
    version: 4,
    'pipeline-execution-attempt': 1,
  };
  const trigger = {
    'author-display-name': 'Dev Eloper',
    'full-repository-name': `acme/${pipeline}`,
    'provider-type': 'GitHub',
    'commit-message': commit.message,
    'author-date': iso(startMs - commit.ageMinutes * 60_000),
    'branch-name': 'main',
    'commit-id': commit.id,
  };
  sourceRevisions[executionId] = [
    {
      name: 'Source',
      revisionId: commit.id,
      revisionSummary: commit.message,
      created: new Date(startMs - commit.ageMinutes * 60_000).toISOString(),
      revisionUrl: `https://github.com/acme/${pipeline}/commit/${commit.id}`,
    },
  ];
  emitHere(
    'CodePipeline Pipeline Execution State Change',
    'aws.codepipeline',
    startMs,
    { ...base, 'execution-trigger': trigger, state: 'STARTED' },
    arn,
  );
  let t = startMs;
  let attempt = 1;
  for (const stage of plan) {
    emitHere(
      'CodePipeline Stage Execution State Change',
      'aws.codepipeline',
      t,
      { ...base, 'pipeline-execution-attempt': attempt, stage: stage.stage, state: 'STARTED' },
      arn,
    );
    let stageFailed = false;
    for (const action of stage.actions) {
      const actionId = uuid(`${executionId}-${stage.stage}-${action.name}-${attempt}`);
      const type = { owner: 'AWS', provider: action.provider, category: action.category, version: '1' };
      const actionBase = {
        ...base,
        'pipeline-execution-attempt': attempt,
        stage: stage.stage,
        action: action.name,
        'action-execution-id': actionId,
        region: place.region,
        type,
      };
      emitHere(
        'CodePipeline Action Execution State Change',
        'aws.codepipeline',
        t,
        { ...actionBase, state: 'STARTED' },
        arn,
      );
      const externalId =
        action.provider === 'CodeDeploy'
          ? `d-${uuid(actionId).slice(0, 9).toUpperCase().replace(/-/g, '')}`
          : action.provider === 'CodeBuild'
            ? `${pipeline}-build:${uuid(actionId)}`
            : undefined;
      if (externalId) {
        emitRunEvent(
          place,
          pipeline,
          stage.stage,
          action.provider,
          externalId,
          'started',
          t + (action.provider === 'CodeBuild' ? 20_000 : 15_000),
        );
      }
      if (end === 'RUNNING' && stage === plan.at(-1)) return;
      t += action.minutes * 60_000;
      const outcome = action.outcome ?? 'SUCCEEDED';
      if (externalId)
        emitRunEvent(place, pipeline, stage.stage, action.provider, externalId, outcome, t - 5_000);
      const result = externalId
        ? {
            'external-execution-id': externalId,
            'external-execution-summary': `${action.provider} ${externalId} ${outcome.toLowerCase()}`,
          }
        : undefined;
      emitHere(
        'CodePipeline Action Execution State Change',
        'aws.codepipeline',
        t,
        {
          ...actionBase,
          state: outcome,
          ...(result
            ? { 'execution-result': outcome === 'FAILED' ? { ...result, 'error-code': 'JobFailed' } : result }
            : {}),
        },
        arn,
      );
      if (outcome === 'FAILED') stageFailed = true;
    }
    if (stageFailed) {
      emitHere(
        'CodePipeline Stage Execution State Change',
        'aws.codepipeline',
        t,
        { ...base, 'pipeline-execution-attempt': attempt, stage: stage.stage, state: 'FAILED' },
        arn,
      );
      emitHere(
        'CodePipeline Pipeline Execution State Change',
        'aws.codepipeline',
        t,
        { ...base, 'pipeline-execution-attempt': attempt, state: 'FAILED' },
        arn,
      );
      if (end === 'FAILED') return;
      // The team retries the failed stage 20 minutes later (RetryStageExecution): attempt 2 re-opens it.
      t += 20 * 60_000;
      attempt += 1;
      emitHere(
        'CodePipeline Pipeline Execution State Change',
        'aws.codepipeline',
        t,
        { ...base, 'pipeline-execution-attempt': attempt, state: 'RESUMED' },
        arn,
      );
      emitHere(
        'CodePipeline Stage Execution State Change',
        'aws.codepipeline',
        t,
        {
          ...base,
          'pipeline-execution-attempt': attempt,
          stage: stage.stage,
          state: 'RESUMED',
          'stage-last-retry-attempt-time': new Date(t).toISOString(),
        },
        arn,
      );
      for (const action of stage.actions) action.outcome = 'SUCCEEDED';
      t += 6 * 60_000;
      emitHere(
        'CodePipeline Action Execution State Change',
        'aws.codepipeline',
        t,
        {
          ...base,
          'pipeline-execution-attempt': attempt,
          stage: stage.stage,
          action: stage.actions.at(-1)?.name,
          'action-execution-id': uuid(`${executionId}-retry`),
          region: place.region,
          type: { owner: 'AWS', provider: stage.actions.at(-1)?.provider, category: 'Deploy', version: '1' },
          state: 'SUCCEEDED',
        },
        arn,
      );
    }
    if (end === 'STOPPED' && stage === plan[1]) {
      emitHere(
        'CodePipeline Pipeline Execution State Change',
        'aws.codepipeline',
        t,
        { ...base, state: 'STOPPING', 'stop-execution-comments': 'Holding release for the freeze' },
        arn,
      );
      emitHere(
        'CodePipeline Stage Execution State Change',
        'aws.codepipeline',
        t + 30_000,
        { ...base, stage: stage.stage, state: 'STOPPED' },
        arn,
      );
      emitHere(
        'CodePipeline Pipeline Execution State Change',
        'aws.codepipeline',
        t + 30_000,
        { ...base, state: 'STOPPED' },
        arn,
      );
      return;
    }
    if (end === 'SUPERSEDED' && stage === plan[1]) {
      emitHere(
        'CodePipeline Pipeline Execution State Change',
        'aws.codepipeline',
        t,
        { ...base, state: 'SUPERSEDED' },
        arn,
      );
      return;
    }
    emitHere(
      'CodePipeline Stage Execution State Change',
      'aws.codepipeline',
      t,
      { ...base, 'pipeline-execution-attempt': attempt, stage: stage.stage, state: 'SUCCEEDED' },
      arn,
    );
  }
  emitHere(
    'CodePipeline Pipeline Execution State Change',
    'aws.codepipeline',
    t,
    { ...base, 'pipeline-execution-attempt': attempt, state: 'SUCCEEDED' },
    arn,
  );
}

const plan = (deployOutcome: Outcome = 'SUCCEEDED'): StagePlan[] => [
  {
    stage: 'Source',
    actions: [{ name: 'Source', provider: 'CodeStarSourceConnection', category: 'Source', minutes: 1 }],
  },
  { stage: 'Build', actions: [{ name: 'Build', provider: 'CodeBuild', category: 'Build', minutes: 4 }] },
  { stage: 'Staging', actions: [{ name: 'Deploy', provider: 'CodeDeploy', category: 'Deploy', minutes: 3 }] },
  {
    stage: 'Production',
    actions: [
      { name: 'Deploy', provider: 'CodeDeploy', category: 'Deploy', outcome: deployOutcome, minutes: 5 },
    ],
  },
];
const day = 86_400_000;
// Both production failures come hours after the deployment before them (within the default 24-hour
// change-failure window): checkout-service's is fixed by a retry, payments-api's is never restored.
const t0 = Date.parse('2026-11-16T09:00:00Z');
execution(SHOP_US, 'checkout-service', 1, t0, plan(), 'SUCCEEDED', {
  id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  message: 'Add idempotency keys to payment capture',
  ageMinutes: 95,
});
execution(SHOP_US, 'checkout-service', 2, t0 + 5 * 3_600_000, plan('FAILED'), 'SUCCEEDED', {
  id: 'b2c3d4e5f60718293a4b5c6d7e8f901234567890',
  message: 'Retry payment capture on 503',
  ageMinutes: 40,
});
execution(SHOP_US, 'checkout-service', 3, t0 + 2 * day + 3_600_000, plan(), 'SUCCEEDED', {
  id: 'c3d4e5f60718293a4b5c6d7e8f90123456789012',
  message: 'Tune capture retry budget',
  ageMinutes: 180,
});
execution(SHOP_US, 'payments-api', 1, t0 + 3_600_000, plan(), 'SUCCEEDED', {
  id: 'd4e5f60718293a4b5c6d7e8f9012345678901234',
  message: 'Upgrade to Node 22',
  ageMinutes: 300,
});
execution(SHOP_US, 'payments-api', 2, t0 + 6 * 3_600_000, plan('FAILED'), 'FAILED', {
  id: 'e5f60718293a4b5c6d7e8f901234567890123456',
  message: 'Switch ledger writes to batch',
  ageMinutes: 60,
});
execution(SHOP_US, 'payments-api', 3, t0 + 3 * day, plan(), 'SUPERSEDED', {
  id: 'f60718293a4b5c6d7e8f90123456789012345678',
  message: 'Log ledger batch sizes',
  ageMinutes: 25,
});
execution(SHOP_US, 'payments-api', 4, t0 + 3 * day + 600_000, plan(), 'RUNNING', {
  id: '0718293a4b5c6d7e8f9012345678901234567890',
  message: 'Revert ledger batch writes',
  ageMinutes: 15,
});
// The other checkout-service: same name, another account and region, its own history.
execution(SHOP_EU, 'checkout-service', 1, t0 + day + 2 * 3_600_000, plan(), 'SUCCEEDED', {
  id: '3a4b5c6d7e8f901234567890123456789012345a',
  message: 'EU: SEPA payment capture',
  ageMinutes: 50,
});
execution(SHOP_EU, 'checkout-service', 2, t0 + 3 * day - 4 * 3_600_000, plan(), 'SUCCEEDED', {
  id: '4b5c6d7e8f901234567890123456789012345a3b',
  message: 'EU: localise the receipt e-mail',
  ageMinutes: 35,
});
execution(WEB_EU, 'web-frontend', 1, t0 + 2 * day, plan(), 'SUCCEEDED', {
  id: '18293a4b5c6d7e8f901234567890123456789012',
  message: 'New checkout button',
  ageMinutes: 720,
});
execution(WEB_EU, 'web-frontend', 2, t0 + 3 * day - 7_200_000, plan(), 'STOPPED', {
  id: '293a4b5c6d7e8f90123456789012345678901234',
  message: 'Holiday banner',
  ageMinutes: 30,
});

events.sort((a, b) => String(a.time).localeCompare(String(b.time)));
writeFileSync(
  new URL('../events/demo/scenario.json', import.meta.url),
  `${JSON.stringify({ events, sourceRevisions }, null, 1)}\n`,
);
console.info(`wrote ${events.length} events for ${Object.keys(sourceRevisions).length} executions`);
