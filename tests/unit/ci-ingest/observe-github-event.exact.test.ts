import { describe, expect, it } from 'vitest';
import type { Ingestion } from '../../../functions/ci-ingest/domain/ci-observations';
import { observeGitHubEvent } from '../../../functions/ci-ingest/domain/observe-github-event';
import { CI_PRODUCTION_STAGE } from '../../../functions/events/ci-pipelines';
import {
  GITHUB_EVENT_SCHEMAS,
  type GitHubEvent,
  type GitHubEventName,
} from '../../../functions/events/github-events';
import type { ExecutionObservation } from '../../../functions/history/domain/merge-execution';
import { readEvent } from '../../support/events';

const P = CI_PRODUCTION_STAGE;

/**
 * Exact observations and reasons for the GitHub decider (docs/mutation-testing.md): each conclusion and state
 * mapped on its own, each action, each fallback of the times, workflow names and commits.
 */

const policy = { environments: ['production'], pipelines: [] };
type Fields = Record<string, unknown>;
/** The sample's parts a test changes, before parsing. */
interface Payload {
  [field: string]: unknown;
  action: string;
  workflow: unknown;
  workflow_run: Fields;
  workflow_job: Fields;
  deployment: Fields;
  deployment_status: Fields;
}

function sample(file: string, change: (payload: Payload) => void = () => undefined): GitHubEvent {
  const name = file.split('.')[0] as GitHubEventName;
  const payload = readEvent<Payload>(`github/${file}`);
  change(payload);
  return { name, payload: GITHUB_EVENT_SCHEMAS[name].parse(payload) } as GitHubEvent;
}

function recorded(ingestion: Ingestion): ExecutionObservation[] {
  if (ingestion.kind !== 'record') throw new Error(`expected a record, got ${JSON.stringify(ingestion)}`);
  return ingestion.observations;
}

function reason(ingestion: Ingestion): string {
  if (ingestion.kind !== 'ignored') throw new Error(`expected ignored, got ${JSON.stringify(ingestion)}`);
  return ingestion.reason;
}

/** Each observation as `kind stage status at`, the shape the mutants change. */
function statuses(observations: ExecutionObservation[]) {
  return observations.map((o) => {
    const value = o as unknown as Fields & { status?: { status: string; statusAt: string } };
    const record = value.record as { status: string; statusAt: string } | undefined;
    const status = value.status ?? record;
    return [o.kind, value.stage, status?.status, status?.statusAt].filter(Boolean).join(' ');
  });
}

const github = { account: 'github', region: 'github.com' };

describe('observeGitHubEvent: workflow_run', () => {
  const run = (change: (payload: Payload) => void) =>
    observeGitHubEvent(sample('workflow_run.completed-success.json', change), policy);

  it.each([
    ['success', 'SUCCEEDED'],
    ['neutral', 'SUCCEEDED'],
    ['failure', 'FAILED'],
    ['timed_out', 'FAILED'],
    ['startup_failure', 'FAILED'],
    ['cancelled', 'CANCELED'],
    ['skipped', 'CANCELED'],
    ['stale', 'SUPERSEDED'],
  ])('records a run completed with conclusion %s as %s', (conclusion, state) => {
    const observations = recorded(
      run((p) => {
        p.workflow_run.conclusion = conclusion;
      }),
    );
    expect(statuses(observations)).toEqual(['details', `pipeline ${state} 2020-10-05T16:33:49.000Z`]);
  });

  it.each(['action_required', 'constructor', '', 'SUCCESS'])(
    'ignores a completed run with conclusion %j',
    (c) => {
      expect(
        reason(
          run((p) => {
            p.workflow_run.conclusion = c;
          }),
        ),
      ).toBe(`workflow_run completed with conclusion ${c}`);
    },
  );

  it('ignores a completed run without a conclusion, saying so', () => {
    expect(
      reason(
        run((p) => {
          p.workflow_run.conclusion = null;
        }),
      ),
    ).toBe('workflow_run completed with conclusion null');
  });

  it.each(['requested', 'in_progress'])('records a run %s as STARTED at its start', (action) => {
    const ingestion = observeGitHubEvent(
      sample('workflow_run.requested.json', (p) => {
        p.action = action;
        p.workflow_run.run_started_at = '2020-10-05T16:33:30Z';
      }),
      policy,
    );
    expect(statuses(recorded(ingestion))).toEqual(['details', 'pipeline STARTED 2020-10-05T16:33:30.000Z']);
  });

  it('takes the creation time for a started run that has no start time', () => {
    const ingestion = observeGitHubEvent(
      sample('workflow_run.requested.json', (p) => {
        p.workflow_run.run_started_at = null;
      }),
      policy,
    );
    expect(statuses(recorded(ingestion))).toEqual(['details', 'pipeline STARTED 2020-10-05T16:33:24.000Z']);
  });

  it.each(['completed', 'requested'])('a run %s does not take the other branch', (action) => {
    // A completed run is no start, and a requested one with a conclusion is no end.
    const ingestion = run((p) => {
      p.action = action;
      p.workflow_run.conclusion = 'failure';
      p.workflow_run.run_started_at = '2020-10-05T16:33:30Z';
    });
    expect(statuses(recorded(ingestion))).toEqual([
      'details',
      action === 'completed'
        ? 'pipeline FAILED 2020-10-05T16:33:49.000Z'
        : 'pipeline STARTED 2020-10-05T16:33:30.000Z',
    ]);
  });

  it.each(['action_required', 'queued', 'IN_PROGRESS', 'completed '])(
    'ignores a run %j, with the action',
    (action) => {
      expect(
        reason(
          run((p) => {
            p.action = action;
          }),
        ),
      ).toBe(`workflow_run action ${action} changes no run status`);
    },
  );

  it('records the exact execution and commit of a completed run', () => {
    const ingestion = run((p) => {
      p.workflow_run.name = 'Deploy';
      p.workflow_run.run_attempt = 3;
      p.workflow_run.head_sha = 'ffffffffffffffffffffffffffffffffffffffff';
    });
    const at = { ...github, pipeline: 'github:octo-org/octo-repo:Deploy', executionId: '289782451' };
    const start = '2020-10-05T16:33:24.000Z';
    expect(ingestion).toEqual({
      kind: 'record',
      pipeline: 'github:octo-org/octo-repo:Deploy',
      executionId: '289782451',
      observations: [
        {
          ...at,
          startTime: start,
          at: start,
          kind: 'details',
          sourceRevisions: [
            {
              actionName: 'source',
              revisionId: '3484a3fb816e0859fd6e1cea078d76385ff50625',
              summary: 'build(test): check workflow run event payload',
              createdAt: '2020-10-05T16:32:07.000Z',
              url: 'https://github.com/octo-org/octo-repo/commit/3484a3fb816e0859fd6e1cea078d76385ff50625',
            },
          ],
          trigger: {
            type: 'repository_dispatch',
            commitId: '3484a3fb816e0859fd6e1cea078d76385ff50625',
            commitMessage: 'build(test): check workflow run event payload',
            authorDate: '2020-10-05T16:32:07.000Z',
            author: 'Matthias Fax',
            repository: 'octo-org/octo-repo',
            branch: 'master',
          },
        },
        {
          ...at,
          startTime: start,
          at: '2020-10-05T16:33:49.000Z',
          kind: 'pipeline',
          status: { status: 'SUCCEEDED', statusAt: '2020-10-05T16:33:49.000Z', attempt: 3 },
        },
      ],
    });
  });

  it('takes the head sha when the run has no head commit, and nothing else of a commit', () => {
    const observations = recorded(
      run((p) => {
        p.workflow_run.head_commit = null;
        p.workflow_run.head_branch = null;
        p.workflow_run.head_sha = 'abc123';
      }),
    );
    expect(observations[0]).toMatchObject({
      kind: 'details',
      sourceRevisions: [
        {
          actionName: 'source',
          revisionId: 'abc123',
          url: 'https://github.com/octo-org/octo-repo/commit/abc123',
        },
      ],
      trigger: { type: 'repository_dispatch', commitId: 'abc123', repository: 'octo-org/octo-repo' },
    });
    const details = observations[0] as { sourceRevisions: object[]; trigger: object };
    expect(Object.keys(details.sourceRevisions[0] ?? {}).sort()).toEqual(['actionName', 'revisionId', 'url']);
    expect(Object.keys(details.trigger).sort()).toEqual(['commitId', 'repository', 'type']);
  });

  it('records a head commit without an author, without one', () => {
    const observations = recorded(
      run((p) => {
        delete (p.workflow_run.head_commit as Record<string, unknown>).author;
      }),
    );
    expect(observations[0]).toMatchObject({
      trigger: { commitId: '3484a3fb816e0859fd6e1cea078d76385ff50625' },
    });
    expect((observations[0] as { trigger: object }).trigger).not.toHaveProperty('author');
  });

  it('names the pipeline after the workflow, then its path, and ignores a run that names neither', () => {
    const named = (name: string | null, workflow: unknown) =>
      run((p) => {
        p.workflow_run.name = name;
        p.workflow = workflow as Record<string, unknown>;
      });
    expect(named('', { name: 'test', path: '.github/workflows/test.yml' })).toMatchObject({
      pipeline: 'github:octo-org/octo-repo:test',
    });
    expect(named(null, { path: '.github/workflows/test.yml' })).toMatchObject({
      pipeline: 'github:octo-org/octo-repo:.github/workflows/test.yml',
    });
    const none = 'workflow_run names no workflow (name and path empty)';
    expect(reason(named('', null))).toBe(none);
    expect(reason(named(null, undefined))).toBe(none);
    expect(reason(named('', {}))).toBe(none);
  });
});

describe('observeGitHubEvent: workflow_job', () => {
  const job = (change: (payload: Payload) => void) =>
    observeGitHubEvent(sample('workflow_job.completed-failure.json', change), policy);

  it.each([
    ['success', 'SUCCEEDED'],
    ['neutral', 'SUCCEEDED'],
    ['failure', 'FAILED'],
    ['timed_out', 'FAILED'],
    ['startup_failure', 'FAILED'],
    ['cancelled', 'CANCELED'],
    ['skipped', 'SKIPPED'],
    ['stale', 'CANCELED'],
  ])('records a job completed with conclusion %s as a %s stage', (conclusion, state) => {
    const observations = recorded(
      job((p) => {
        p.workflow_job.conclusion = conclusion;
      }),
    );
    const stage = `stage linters ${state} 2021-08-05T10:38:16.000Z`;
    const ran = state === 'SUCCEEDED' || state === 'FAILED';
    expect(statuses(observations)).toEqual(
      ran ? [stage, `action linters ${state} 2021-08-05T10:38:16.000Z`] : [stage],
    );
  });

  it.each([null, 'action_required', 'constructor'])('ignores a completed job with conclusion %j', (c) => {
    expect(
      reason(
        job((p) => {
          p.workflow_job.conclusion = c;
        }),
      ),
    ).toBe(`workflow_job completed with conclusion ${c}`);
  });

  it('ends a job at its completion, else at its start, else at its creation', () => {
    const at = (completed: string | null, started: string | null) =>
      statuses(
        recorded(
          job((p) => {
            p.workflow_job.completed_at = completed;
            p.workflow_job.started_at = started;
          }),
        ),
      )[0];
    expect(at('2021-08-05T10:38:16Z', '2021-08-05T10:34:58Z')).toBe(
      'stage linters FAILED 2021-08-05T10:38:16.000Z',
    );
    expect(at(null, '2021-08-05T10:34:58Z')).toBe('stage linters FAILED 2021-08-05T10:34:58.000Z');
    expect(at(null, null)).toBe('stage linters FAILED 2021-08-05T10:33:58.000Z');
  });

  it.each(['queued', 'waiting', 'in_progress'])('records a job %s as STARTED at its start', (action) => {
    const observations = recorded(
      job((p) => {
        p.action = action;
        p.workflow_job.conclusion = null;
      }),
    );
    expect(statuses(observations)).toEqual(['stage linters STARTED 2021-08-05T10:34:58.000Z']);
  });

  it('starts a job that has no start time yet at its creation, whatever its conclusion says', () => {
    const observations = recorded(
      job((p) => {
        p.action = 'queued';
        p.workflow_job.started_at = null;
      }),
    );
    expect(statuses(observations)).toEqual(['stage linters STARTED 2021-08-05T10:33:58.000Z']);
  });

  it.each(['created', 'Queued', '', 'queued,waiting'])('ignores a job %j, with the action', (action) => {
    expect(
      reason(
        job((p) => {
          p.action = action;
        }),
      ),
    ).toBe(`workflow_job action ${action} changes no job status`);
  });

  it('records the exact stage of a job, under its run and attempt', () => {
    const ingestion = job((p) => {
      p.workflow_job.run_attempt = 2;
    });
    const base = {
      ...github,
      pipeline: 'github:Codertocat/Hello-World:CodeQL',
      executionId: '2202229078',
      at: '2021-08-05T10:38:16.000Z',
    };
    const status = { status: 'FAILED', statusAt: '2021-08-05T10:38:16.000Z', attempt: 2 };
    expect(ingestion).toEqual({
      kind: 'record',
      pipeline: 'github:Codertocat/Hello-World:CodeQL',
      executionId: '2202229078',
      observations: [
        { ...base, kind: 'stage', stage: 'linters', status },
        { ...base, kind: 'action', stage: 'linters', action: 'linters', record: status },
      ],
    });
  });

  it.each([null, ''])('ignores a job whose workflow_name is %j', (name) => {
    expect(
      reason(
        job((p) => {
          p.workflow_job.workflow_name = name;
        }),
      ),
    ).toBe('workflow_job names no workflow (workflow_name empty): its run is unknown');
  });
});

describe('observeGitHubEvent: deployment_status', () => {
  const deployment = (file: string, change: (payload: Payload) => void = () => undefined) =>
    observeGitHubEvent(sample(`deployment_status.${file}.json`, change), policy);

  it.each([
    ['pending', 'STARTED'],
    ['queued', 'STARTED'],
    ['in_progress', 'STARTED'],
    ['success', 'SUCCEEDED'],
    ['failure', 'FAILED'],
    ['error', 'FAILED'],
  ])('records a deployment status %s as a %s production stage and run', (state, expected) => {
    const observations = recorded(
      deployment('success-production', (p) => {
        p.deployment_status.state = state;
      }),
    );
    const at = '2019-05-15T15:20:55.000Z';
    const ran = expected !== 'STARTED';
    expect(statuses(observations)).toEqual([
      'details',
      `stage ${P} ${expected} ${at}`,
      ...(ran ? [`action ${P} ${expected} ${at}`] : []),
      `pipeline ${expected} ${at}`,
    ]);
  });

  it.each(['inactive', 'constructor', 'SUCCESS'])(
    'ignores a deployment status %j, with the reason',
    (state) => {
      expect(
        reason(
          deployment('success-production', (p) => {
            p.deployment_status.state = state;
          }),
        ),
      ).toBe(`deployment_status ${state} is no deployment result (inactive marks a replaced one)`);
    },
  );

  it('records a deployment without a workflow run as a whole execution of its own', () => {
    const base = {
      ...github,
      pipeline: 'github:Codertocat/Hello-World:deployments',
      executionId: 'deployment-145988746',
      startTime: '2019-05-15T15:20:53.000Z',
    };
    const at = '2019-05-15T15:20:55.000Z';
    const status = { status: 'SUCCEEDED', statusAt: at, attempt: 1 };
    expect(deployment('success-production')).toEqual({
      kind: 'record',
      pipeline: 'github:Codertocat/Hello-World:deployments',
      executionId: 'deployment-145988746',
      observations: [
        {
          ...base,
          at: '2019-05-15T15:20:53.000Z',
          kind: 'details',
          sourceRevisions: [
            {
              actionName: 'source',
              revisionId: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
              url: 'https://github.com/Codertocat/Hello-World/commit/f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
            },
          ],
          trigger: {
            commitId: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
            repository: 'Codertocat/Hello-World',
            branch: 'master',
          },
        },
        { ...base, at, kind: 'stage', stage: P, status },
        { ...base, at, kind: 'action', stage: P, action: P, record: status },
        { ...base, at, kind: 'pipeline', status },
      ],
    });
  });

  it('records a deployment made by a workflow run as a stage of that run only', () => {
    const ingestion = deployment('in-progress-with-workflow-run', (p) => {
      (p.workflow_run as Record<string, unknown>).run_attempt = 2;
      p.deployment_status.state = 'success';
    });
    const base = {
      ...github,
      pipeline: 'github:Codertocat/Hello-World:pages build and deployment',
      executionId: '289782451',
    };
    const at = '2022-01-03T01:28:40.000Z';
    const status = { status: 'SUCCEEDED', statusAt: at, attempt: 2 };
    expect(recorded(ingestion)).toEqual([
      expect.objectContaining({ ...base, at: '2022-01-03T01:28:30.000Z', kind: 'details' }),
      { ...base, at, kind: 'stage', stage: 'deploy github-pages', status },
      {
        ...base,
        at,
        kind: 'action',
        stage: 'deploy github-pages',
        action: 'deploy github-pages',
        record: status,
      },
    ]);
  });

  it("names the stage after the status's environment before the deployment's", () => {
    const stages = (status: string | undefined) =>
      statuses(
        recorded(
          deployment('in-progress-with-workflow-run', (p) => {
            if (status === undefined) delete p.deployment_status.environment;
            else p.deployment_status.environment = status;
          }),
        ),
      ).slice(1);
    expect(stages('staging')).toEqual(['stage deploy staging STARTED 2022-01-03T01:28:40.000Z']);
    expect(stages('Production')).toEqual([`stage ${P} STARTED 2022-01-03T01:28:40.000Z`]);
    expect(stages(undefined)).toEqual(['stage deploy github-pages STARTED 2022-01-03T01:28:40.000Z']);
  });

  it("takes GitHub's production flag for an environment the policy does not name", () => {
    const observations = recorded(
      deployment('in-progress-with-workflow-run', (p) => {
        p.deployment.production_environment = true;
      }),
    );
    expect(statuses(observations).slice(1)).toEqual([`stage ${P} STARTED 2022-01-03T01:28:40.000Z`]);
  });
});
