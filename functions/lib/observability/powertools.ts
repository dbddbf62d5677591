import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export const METRICS_NAMESPACE = 'PipelineControlPlane';

/**
 * Logger and EMF metrics for one function. Powertools reads POWERTOOLS_SERVICE_NAME and LOG_LEVEL from the
 * environment (set in template.yaml Globals); `serviceName` is the fallback for tests and local mode.
 */
export function createObservability(serviceName: string) {
  const logger = new Logger({ serviceName });
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName });
  return { logger, metrics };
}

export type Observability = ReturnType<typeof createObservability>;
