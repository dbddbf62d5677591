import { describeIssues } from '#platform/errors';
import { verifyCiSignature } from '../ci-signature';
import { ciEvent } from '../domain/ci-event';
import type { Ingestion } from '../domain/ci-observations';
import type { DeploymentPolicy } from '../domain/deployment-policy';
import { observeCiEvent } from '../domain/observe-ci-event';
import {
  answer,
  ignored,
  rejected,
  unauthorized,
  type WebhookAnswer,
  type WebhookRequest,
} from '../function-url';
import type { RecordedIngestion } from '../record-ingestion';

export interface CiEventDependencies {
  secret: () => Promise<string>;
  policy: DeploymentPolicy;
  record: (ingestion: Extract<Ingestion, { kind: 'record' }>) => Promise<RecordedIngestion>;
  nowSeconds: () => number;
}

/**
 * One event from any CI system: the signature (with its timestamp, at most 5 minutes off) is checked before
 * the body is read; a body that is not one of the documented events is refused with the field at fault, and
 * nothing is written. The same event sent again merges into the same registers and changes nothing.
 */
export async function handleCiEvent(
  request: WebhookRequest,
  deps: CiEventDependencies,
): Promise<WebhookAnswer> {
  const verdict = verifyCiSignature(request.headers, request.rawBody, await deps.secret(), deps.nowSeconds());
  if (!verdict.valid) return unauthorized(verdict.reason);
  let body: unknown;
  try {
    body = JSON.parse(request.rawBody);
  } catch (error) {
    return rejected(`body is not JSON: ${(error as Error).message}`);
  }
  const parsed = ciEvent.safeParse(body);
  if (!parsed.success) return rejected(describeIssues(parsed.error.issues));
  const ingestion = observeCiEvent(parsed.data, deps.policy);
  if (ingestion.kind === 'ignored') return ignored(ingestion.reason);
  const recorded = await deps.record(ingestion);
  return answer(200, { status: 'recorded', eventId: parsed.data.id, ...recorded });
}
