import * as z from 'zod/mini';
import { boundedString } from './aws-names';
import { awsTimestamp } from './aws-timestamp';
import { wholeNumber } from './whole-number';

/**
 * The parts of GitHub's webhook payloads the control plane records (docs.github.com "Webhook events and
 * payloads": workflow_run, workflow_job, deployment_status). Loose objects: GitHub adds fields over time, and
 * only what is named here is read. Times are normalised to UTC ISO with milliseconds, like AWS's.
 */

const githubId = wholeNumber(1, Number.MAX_SAFE_INTEGER);
const attempt = z._default(wholeNumber(1, 999_999), 1);
const timestamp = awsTimestamp;

export const githubRepository = z.looseObject({
  /** `owner/repo`: GitHub's own limits are 39 + 100 characters. */
  full_name: boundedString(140).check(z.regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'expected owner/repo')),
  /** Its web address: the host says which GitHub (github.com or an Enterprise Server). */
  html_url: z.url({ protocol: /^https?$/ }),
});

const headCommit = z.looseObject({
  id: boundedString(64),
  message: z.optional(z.string()),
  timestamp,
  author: z.optional(z.looseObject({ name: z.optional(z.string()), email: z.optional(z.string()) })),
});

export const workflowRunEvent = z.looseObject({
  action: z.string(),
  workflow_run: z.looseObject({
    id: githubId,
    name: z.optional(z.nullable(z.string())),
    run_attempt: attempt,
    status: z.optional(z.nullable(z.string())),
    conclusion: z.optional(z.nullable(z.string())),
    event: z.optional(z.string()),
    created_at: timestamp,
    updated_at: timestamp,
    run_started_at: z.optional(z.nullable(timestamp)),
    head_sha: boundedString(64),
    head_branch: z.optional(z.nullable(z.string())),
    head_commit: z.optional(z.nullable(headCommit)),
    html_url: z.optional(z.string()),
  }),
  workflow: z.optional(
    z.nullable(z.looseObject({ name: z.optional(z.string()), path: z.optional(z.string()) })),
  ),
  repository: githubRepository,
});

export const workflowJobEvent = z.looseObject({
  action: z.string(),
  workflow_job: z.looseObject({
    id: githubId,
    run_id: githubId,
    run_attempt: attempt,
    name: boundedString(1024),
    workflow_name: z.optional(z.nullable(z.string())),
    status: z.string(),
    conclusion: z.optional(z.nullable(z.string())),
    created_at: timestamp,
    started_at: z.optional(z.nullable(timestamp)),
    completed_at: z.optional(z.nullable(timestamp)),
    head_sha: z.optional(boundedString(64)),
    head_branch: z.optional(z.nullable(z.string())),
    html_url: z.optional(z.nullable(z.string())),
  }),
  repository: githubRepository,
});

export const deploymentStatusEvent = z.looseObject({
  action: z.string(),
  deployment: z.looseObject({
    id: githubId,
    sha: boundedString(64),
    ref: z.optional(z.string()),
    environment: boundedString(255),
    created_at: timestamp,
    production_environment: z.optional(z.boolean()),
  }),
  deployment_status: z.looseObject({
    state: z.string(),
    environment: z.optional(boundedString(255)),
    created_at: timestamp,
    updated_at: z.optional(timestamp),
    target_url: z.optional(z.nullable(z.string())),
  }),
  workflow_run: z.optional(
    z.nullable(
      z.looseObject({
        id: githubId,
        name: z.optional(z.nullable(z.string())),
        run_attempt: attempt,
        created_at: z.optional(timestamp),
        head_sha: z.optional(boundedString(64)),
        head_branch: z.optional(z.nullable(z.string())),
      }),
    ),
  ),
  repository: githubRepository,
});

export type WorkflowRunEvent = z.infer<typeof workflowRunEvent>;
export type WorkflowJobEvent = z.infer<typeof workflowJobEvent>;
export type DeploymentStatusEvent = z.infer<typeof deploymentStatusEvent>;

/** The GitHub events the control plane records, by `X-GitHub-Event`. */
export const GITHUB_EVENT_SCHEMAS = {
  workflow_run: workflowRunEvent,
  workflow_job: workflowJobEvent,
  deployment_status: deploymentStatusEvent,
} as const;

export type GitHubEventName = keyof typeof GITHUB_EVENT_SCHEMAS;

export type GitHubEvent =
  | { name: 'workflow_run'; payload: WorkflowRunEvent }
  | { name: 'workflow_job'; payload: WorkflowJobEvent }
  | { name: 'deployment_status'; payload: DeploymentStatusEvent };
