import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddyfiedHandler } from '@middy/core';
import type { Context } from 'aws-lambda';
import { rejectMalformed } from './reject-malformed';

export interface LambdaHandlerOptions {
  /**
   * Answer input no retry can fix (a MalformedEventError) with `{ status: 'rejected', reason }`, logged with
   * this message and counted in this metric, instead of throwing it into Lambda's retries.
   */
  rejectMalformed?: { logMessage?: string; metricName?: string };
  /** middy's own options (an invoke action answers on timeout instead of throwing). */
  plugin?: Parameters<typeof middy>[1];
}

/**
 * Every function's cross-cutting policy in one place: the Lambda context in each log line (state cleared
 * between invocations), EMF metrics flushed after each invocation, and malformed input rejected with its
 * reason. Handlers only say what they do.
 */
export function lambdaHandler<TEvent, TResult>(
  core: (event: TEvent, context: Context) => Promise<TResult>,
  { logger, metrics }: { logger: Logger; metrics?: Metrics },
  options: LambdaHandlerOptions = {},
): MiddyfiedHandler<TEvent, TResult> {
  const handler = middy(core, options.plugin).use(injectLambdaContext(logger, { clearState: true }));
  // A function without metrics (the read API) publishes none, so Powertools has nothing to warn about.
  if (metrics) handler.use(logMetrics(metrics));
  if (options.rejectMalformed) {
    if (!metrics) throw new Error('rejectMalformed counts rejections: give the handler its metrics');
    handler.use(rejectMalformed({ logger, metrics, ...options.rejectMalformed }));
  }
  return handler as MiddyfiedHandler<TEvent, TResult>;
}
