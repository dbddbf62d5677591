import * as z from 'zod/mini';
import { CI_PRODUCTION_STAGE, isCiPipeline } from '#events/ci-pipelines';
import { positiveIntegerEnv } from '#platform/config/common-env';
import { jsonText } from '#platform/config/json-env';
import type { DeliveryOptions } from './domain/delivery-timeline';

const productionStages = jsonText('{"my-pipeline":"Prod"}');

/** Environment shared by the recorder and the read API, so both count the same deployments. */
export const deliveryEnv = {
  /** JSON map of pipeline name to its production stage; pipelines not named use their last stage. */
  PRODUCTION_STAGES: z.prefault(
    z.pipe(productionStages, z.record(z.string(), z.string().check(z.minLength(1)))),
    '{}',
  ),
  CHANGE_FAILURE_WINDOW_HOURS: positiveIntegerEnv(24),
};

export interface DeliveryConfig {
  PRODUCTION_STAGES: Record<string, string>;
  CHANGE_FAILURE_WINDOW_HOURS: number;
}

/**
 * A CI pipeline's production stage is the one its recorder writes for production deployments only
 * (docs/other-ci.md): its last stage would count every CI run that succeeded as a deployment.
 */
export function deliveryOptionsFor(config: DeliveryConfig, pipeline: string): DeliveryOptions {
  return {
    productionStage:
      config.PRODUCTION_STAGES[pipeline] ?? (isCiPipeline(pipeline) ? CI_PRODUCTION_STAGE : undefined),
    failureWindowMs: config.CHANGE_FAILURE_WINDOW_HOURS * 3_600_000,
  };
}
