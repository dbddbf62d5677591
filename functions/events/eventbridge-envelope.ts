import * as z from 'zod/mini';

/** ISO-8601 timestamp as AWS sends it (`Z`, `+0000` or `+00:00` offsets), normalised to UTC milliseconds. */
export const awsTimestamp = z.pipe(
  z.string().check(
    z.refine((value) => !Number.isNaN(Date.parse(normaliseOffset(value))), {
      message: 'expected an ISO-8601 time',
    }),
  ),
  z.transform((value) => new Date(Date.parse(normaliseOffset(value))).toISOString()),
);

// CloudWatch writes `+0000`, which Date.parse rejects in some engines.
function normaliseOffset(value: string): string {
  return value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}

/** CodePipeline sends `version` and `pipeline-execution-attempt` as numbers (1.0) or strings ("1"). */
export const numberLike = z.pipe(
  z.union([z.number(), z.string().check(z.regex(/^\d+(\.\d+)?$/))]),
  z.transform((value) => Number(value)),
);

export function envelope<D extends z.ZodMiniType, T extends string, S extends string>(
  detailType: T,
  source: S,
  detail: D,
) {
  return z.object({
    version: z.optional(z.string()),
    id: z.string().check(z.minLength(1)),
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    account: z.string(),
    time: awsTimestamp,
    region: z.string(),
    resources: z._default(z.array(z.string()), []),
    detail: detail,
  });
}
