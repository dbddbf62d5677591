import * as z from 'zod/mini';

/** UserParameters of the alarm-bake action (docs/invoke-actions.md). */
export const alarmBakeParams = z.object({
  // DescribeAlarms accepts at most 100 names per call (CloudWatch API reference).
  alarmNames: z
    .array(z.string().check(z.minLength(1), z.maxLength(255)))
    .check(z.minLength(1), z.maxLength(100)),
  // CodePipeline fails an invoke action 24 hours after the action started (before our first invocation):
  // a full day's bake could never end in our own summary, so the bound leaves an hour's margin.
  bakeMinutes: z.number().check(z.int(), z.gte(1), z.lte(1380)),
  pollSeconds: z._default(z.number().check(z.int(), z.gte(5), z.lte(300)), 30),
  failOnInsufficientData: z._default(z.boolean(), false),
});

export type AlarmBakeParams = z.infer<typeof alarmBakeParams>;

/** The bake deadline travels in the continuation token, so re-invocations do not restart the clock. */
export const alarmBakeState = z.object({ deadline: z.number() });

export type AlarmBakeState = z.infer<typeof alarmBakeState>;
