import * as z from 'zod/mini';
import { awsTimestamp, envelope } from '#events/eventbridge-envelope';
import { describeIssues, MalformedEventError } from '#platform/errors';

const alarmState = z.object({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  timestamp: awsTimestamp,
  reason: z.optional(z.string()),
});

export const alarmStateChangeEvent = envelope(
  'CloudWatch Alarm State Change',
  'aws.cloudwatch',
  z.object({
    alarmName: z.string().check(z.minLength(1)),
    state: alarmState,
    previousState: z.optional(alarmState),
    // Composite alarms carry `alarmRule`; metric alarms `metrics`. Neither changes the decision.
    configuration: z.optional(z.record(z.string(), z.unknown())),
  }),
);

export type AlarmStateChangeEvent = z.infer<typeof alarmStateChangeEvent>;

export function parseAlarmEvent(raw: unknown): AlarmStateChangeEvent {
  const parsed = alarmStateChangeEvent.safeParse(raw);
  if (parsed.success) return parsed.data;
  const id = (raw as { id?: unknown } | undefined)?.id;
  throw new MalformedEventError(
    `CloudWatch Alarm State Change: ${describeIssues(parsed.error.issues)}`,
    typeof id === 'string' ? id : undefined,
  );
}
