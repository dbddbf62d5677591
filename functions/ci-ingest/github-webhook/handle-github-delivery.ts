import { verify } from '@octokit/webhooks-methods';
import { GITHUB_EVENT_SCHEMAS, type GitHubEvent, type GitHubEventName } from '#events/github-events';
import { describeIssues } from '#platform/errors';
import type { Ingestion } from '../domain/ci-observations';
import type { DeploymentPolicy } from '../domain/deployment-policy';
import { observeGitHubEvent } from '../domain/observe-github-event';
import {
  answer,
  ignored,
  rejected,
  unauthorized,
  type WebhookAnswer,
  type WebhookRequest,
} from '../function-url';
import type { RecordedIngestion } from '../record-ingestion';

export interface GitHubDeliveryDependencies {
  /** The webhook's secret (read lazily: an unsigned request costs no Secrets Manager call… after the first). */
  secret: () => Promise<string>;
  policy: DeploymentPolicy;
  record: (ingestion: Extract<Ingestion, { kind: 'record' }>) => Promise<RecordedIngestion>;
}

/**
 * One webhook delivery from GitHub: authenticated by `X-Hub-Signature-256` before anything else is read,
 * then `ping` answered, the three recorded events parsed and recorded, anything else acknowledged with the
 * reason it is not recorded. Bad input is answered with its reason and writes nothing. A delivery GitHub sends
 * again (same `X-GitHub-Delivery`, same body) merges into the same registers and changes nothing.
 */
export async function handleGitHubDelivery(
  request: WebhookRequest,
  deps: GitHubDeliveryDependencies,
): Promise<WebhookAnswer> {
  const { headers, rawBody } = request;
  const signature = headers['x-hub-signature-256'];
  if (!signature) return unauthorized('missing X-Hub-Signature-256 header (set a secret on the webhook)');
  if (!rawBody) return unauthorized('empty body: nothing was signed');
  if (!(await verify(await deps.secret(), rawBody, signature))) {
    return unauthorized('X-Hub-Signature-256 does not match the body and the webhook secret');
  }

  const eventName = headers['x-github-event'];
  if (!eventName) return rejected('missing X-GitHub-Event header');
  if (eventName === 'ping') return answer(200, { status: 'pong' });
  if (!Object.hasOwn(GITHUB_EVENT_SCHEMAS, eventName)) {
    return ignored(
      `X-GitHub-Event ${eventName.slice(0, 100)} is not recorded: only ${Object.keys(GITHUB_EVENT_SCHEMAS).join(', ')} are`,
    );
  }
  const payload = parsePayload(rawBody, headers['content-type']);
  if (!payload.ok) return rejected(payload.reason);
  const name = eventName as GitHubEventName;
  const parsed = GITHUB_EVENT_SCHEMAS[name].safeParse(payload.value);
  if (!parsed.success) return rejected(`${name}: ${describeIssues(parsed.error.issues)}`);

  const ingestion = observeGitHubEvent({ name, payload: parsed.data } as GitHubEvent, deps.policy);
  if (ingestion.kind === 'ignored') return ignored(ingestion.reason);
  const recorded = await deps.record(ingestion);
  return answer(200, { status: 'recorded', ...recorded });
}

/** JSON, or GitHub's form encoding (`payload=<JSON>`) when the webhook's content type says so. */
function parsePayload(
  rawBody: string,
  contentType: string | undefined,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  const form = contentType?.startsWith('application/x-www-form-urlencoded');
  const text = form ? new URLSearchParams(rawBody).get('payload') : rawBody;
  if (text === null) return { ok: false, reason: 'form-encoded body has no payload field' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, reason: `body is not JSON: ${(error as Error).message}` };
  }
}
