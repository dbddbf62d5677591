import * as z from 'zod/mini';
import { boundedString } from '#events/aws-names';
import { awsTimestamp } from '#events/aws-timestamp';
import { envelope } from '#events/eventbridge-envelope';
import { describeIssues, MalformedEventError } from '#platform/errors';

const alarmState = z.object({
  value: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']),
  timestamp: awsTimestamp,
  // CloudWatch's StateReason: at most 1,023 characters.
  reason: z.optional(boundedString(1023, 0)),
});

export const alarmStateChangeEvent = envelope(
  'CloudWatch Alarm State Change',
  'aws.cloudwatch',
  z.object({
    // CloudWatch alarm names: 1 to 255 characters.
    alarmName: boundedString(255),
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
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined;
  throw new MalformedEventError(
    `CloudWatch Alarm State Change: ${describeIssues(parsed.error.issues)}`,
    typeof id === 'string' ? id.slice(0, 128) : undefined,
  );
}
