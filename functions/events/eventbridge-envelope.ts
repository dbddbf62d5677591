import * as z from 'zod/mini';
import { awsAccount, awsRegion, boundedString } from './aws-names';
import { awsTimestamp } from './aws-timestamp';

/** EventBridge's own fields around a `detail`; AWS service events carry a UUID `id`, account and Region. */
export function envelope<D extends z.ZodMiniType, T extends string, S extends string>(
  detailType: T,
  source: S,
  detail: D,
) {
  return z.object({
    version: z.optional(boundedString(10)),
    id: boundedString(128),
    'detail-type': z.literal(detailType),
    source: z.literal(source),
    account: awsAccount,
    time: awsTimestamp,
    region: awsRegion,
    resources: z._default(
      z.array(boundedString(2048)).check(z.maxLength(100, 'expected at most 100 resources')),
      [],
    ),
    detail: detail,
  });
}
