import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';
import { MalformedEventError } from '#platform/errors';
import type { Observability } from '#platform/observability';

export interface Rejection {
  status: 'rejected';
  reason: string;
}

export interface RejectMalformedOptions extends Observability {
  /** The log line's message, e.g. "Rejected malformed event". */
  logMessage?: string;
  /** The EMF counter incremented per rejection. */
  metricName?: string;
}

/**
 * Input no retry can fix (a MalformedEventError thrown while parsing) is answered, not thrown: logged with its
 * reason, counted, and returned as `{ status: 'rejected', reason }`. Throwing would send it through Lambda's
 * retries into the dead-letter queue as if it were an outage. Every other error passes through for retry.
 */
export function rejectMalformed({
  logger,
  metrics,
  logMessage = 'Rejected malformed event',
  metricName = 'RejectedEvents',
}: RejectMalformedOptions): MiddlewareObj<unknown, unknown> {
  return {
    onError: (request) => {
      const { error } = request;
      if (!(error instanceof MalformedEventError)) return;
      logger.error(logMessage, { eventId: error.eventId, reason: error.message });
      metrics.addMetric(metricName, MetricUnit.Count, 1);
      request.response = { status: 'rejected', reason: error.message } satisfies Rejection;
    },
  };
}
