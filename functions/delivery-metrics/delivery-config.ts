import * as z from 'zod/mini';
import { positiveIntegerEnv } from '#platform/config/common-env';
import type { DeliveryOptions } from './domain/delivery-timeline';

const productionStages = z.pipe(
  z.string(),
  z.transform((text, context) => {
    try {
      return JSON.parse(text || '{}') as unknown;
    } catch {
      context.issues.push({
        code: 'custom',
        input: text,
        message: 'expected JSON like {"my-pipeline":"Prod"}',
      });
      return z.NEVER;
    }
  }),
);

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

export function deliveryOptionsFor(config: DeliveryConfig, pipeline: string): DeliveryOptions {
  return {
    productionStage: config.PRODUCTION_STAGES[pipeline],
    failureWindowMs: config.CHANGE_FAILURE_WINDOW_HOURS * 3_600_000,
  };
}
