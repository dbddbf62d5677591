import { describe, expect, it } from 'vitest';
import { observeGitHubEvent } from '../../../functions/ci-ingest/domain/observe-github-event';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';
import {
  GITHUB_EVENT_SCHEMAS,
  type GitHubEvent,
  type GitHubEventName,
} from '../../../functions/events/github-events';
import { mergeAll } from '../../../functions/history/domain/merge-execution';
import { readEvent } from '../../support/events';

const policy = { environments: ['production'], pipelines: [] };

/** A sample from events/github/ (trimmed from @octokit/webhooks-examples), parsed as the endpoint does. */
function sample(file: string, change: (payload: Record<string, unknown>) => void = () => undefined) {
  const name = file.split('.')[0] as GitHubEventName;
  const payload = readEvent(`github/${file}`);
  change(payload);
  return { name, payload: GITHUB_EVENT_SCHEMAS[name].parse(payload) } as GitHubEvent;
}

describe('observeGitHubEvent (real payloads from @octokit/webhooks-examples)', () => {
  it('records a completed workflow run as its execution, with the head commit as its revision', () => {
    const ingestion = observeGitHubEvent(sample('workflow_run.completed-success.json'), policy);
    expect(ingestion).toMatchObject({
      kind: 'record',
      // The sample's run has an empty name: the workflow's stands in.
      pipeline: 'github:octo-org/octo-repo:test',
      executionId: '289782451',
    });
    if (ingestion.kind !== 'record') return;
    const record = mergeAll(ingestion.observations);
    expect(record).toMatchObject({
      status: { status: 'SUCCEEDED', statusAt: '2020-10-05T16:33:49.000Z', attempt: 1 },
      startTime: '2020-10-05T16:33:24.000Z',
      sourceRevisions: [
        {
          actionName: 'source',
          revisionId: '3484a3fb816e0859fd6e1cea078d76385ff50625',
          createdAt: '2020-10-05T16:32:07.000Z',
          url: 'https://github.com/octo-org/octo-repo/commit/3484a3fb816e0859fd6e1cea078d76385ff50625',
        },
      ],
      trigger: { type: 'repository_dispatch', branch: 'master', author: 'Matthias Fax' },
      stages: {},
    });
    expect(ingestion.observations.every((o) => o.account === 'github' && o.region === 'github.com')).toBe(
      true,
    );
  });

  it('makes a run of a production pipeline its production deployment', () => {
    const production = { environments: [], pipelines: ['github:octo-org/octo-repo:test'] };
    const ingestion = observeGitHubEvent(sample('workflow_run.completed-success.json'), production);
    if (ingestion.kind !== 'record') throw new Error('expected a record');
    expect(mergeAll(ingestion.observations)?.stages[CI_PRODUCTION_STAGE]?.status?.status).toBe('SUCCEEDED');
  });

  it('records a job as a stage of its run, and a re-run as the next attempt', () => {
    const failed = observeGitHubEvent(sample('workflow_job.completed-failure.json'), policy);
    expect(failed).toMatchObject({ kind: 'record', pipeline: 'github:Codertocat/Hello-World:CodeQL' });
    const rerun = observeGitHubEvent(
      sample('workflow_job.completed-failure.json', (payload) => {
        const job = payload.workflow_job as Record<string, unknown>;
        Object.assign(job, { run_attempt: 2, conclusion: 'success', completed_at: '2021-08-05T10:30:00Z' });
      }),
      policy,
    );
    if (failed.kind !== 'record' || rerun.kind !== 'record') throw new Error('expected records');
    // The retry wins even though GitHub stamped it earlier than the failure (attempt before time).
    for (const order of [
      [...failed.observations, ...rerun.observations],
      [...rerun.observations, ...failed.observations],
    ]) {
      const stage = mergeAll(order)?.stages.linters;
      expect(stage?.status).toMatchObject({ status: 'SUCCEEDED', attempt: 2 });
      expect(stage?.firstFailedAt).toBeDefined();
    }
  });

  it('records a deployment to a production environment as the production stage', () => {
    const ingestion = observeGitHubEvent(sample('deployment_status.success-production.json'), policy);
    expect(ingestion).toMatchObject({
      kind: 'record',
      pipeline: 'github:Codertocat/Hello-World:deployments',
      executionId: 'deployment-145988746',
    });
    if (ingestion.kind !== 'record') return;
    const record = mergeAll(ingestion.observations);
    expect(record?.stages[CI_PRODUCTION_STAGE]?.status?.status).toBe('SUCCEEDED');
    expect(record?.status?.status).toBe('SUCCEEDED');
  });

  it('records a deployment made by a workflow run in that run, under its environment', () => {
    const ingestion = observeGitHubEvent(
      sample('deployment_status.in-progress-with-workflow-run.json'),
      policy,
    );
    expect(ingestion).toMatchObject({
      kind: 'record',
      pipeline: 'github:Codertocat/Hello-World:pages build and deployment',
      executionId: '289782451',
    });
    if (ingestion.kind !== 'record') return;
    expect(mergeAll(ingestion.observations)?.stages['deploy github-pages']?.status?.status).toBe('STARTED');
  });

  it.each([
    [
      'deployment_status.success-production.json',
      (p: Record<string, unknown>) => {
        (p.deployment_status as Record<string, unknown>).state = 'inactive';
      },
      /inactive/,
    ],
    [
      'workflow_run.completed-success.json',
      (p: Record<string, unknown>) => {
        (p.workflow_run as Record<string, unknown>).conclusion = null;
      },
      /conclusion null/,
    ],
    [
      'workflow_job.completed-success.json',
      (p: Record<string, unknown>) => {
        (p.workflow_job as Record<string, unknown>).workflow_name = null;
      },
      /workflow_name/,
    ],
  ])('ignores %s when it says nothing about a run, with the reason', (file, change, reason) => {
    const ingestion = observeGitHubEvent(sample(file, change), policy);
    expect(ingestion.kind).toBe('ignored');
    if (ingestion.kind === 'ignored') expect(ingestion.reason).toMatch(reason);
  });
});
