import { signCiRequest } from '../functions/ci-ingest/ci-signature';
import { DEV_CI_WEBHOOK_SECRET } from './development-webhook-secrets';

/** A Function URL request as a sample holds it (events/ci-events/, events/github-webhook/). */
export interface FunctionUrlSample {
  headers: Record<string, string>;
  body: string;
}

/**
 * A POST /ci/events sample signed again, now, with local mode's secret: its X-CI-Timestamp is signed with the
 * body and refused five minutes after it was made, so a stored signature can only show the refusal.
 */
export function ciSampleSignedNow<Sample extends FunctionUrlSample>(
  sample: Sample,
  nowSeconds = Math.floor(Date.now() / 1000),
): Sample {
  return {
    ...sample,
    headers: { ...sample.headers, ...signCiRequest(sample.body, DEV_CI_WEBHOOK_SECRET, nowSeconds) },
  };
}
