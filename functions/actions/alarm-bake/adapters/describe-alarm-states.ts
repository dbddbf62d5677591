import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmStatus } from '../bake-alarms';

/** Metric and composite alarms by name; ≤ 100 names fit in one page (MaxRecords 100). */
export async function describeAlarmStates(
  client: CloudWatchClient,
  names: readonly string[],
  signal?: AbortSignal,
): Promise<AlarmStatus[]> {
  const response = await client.send(
    new DescribeAlarmsCommand({
      AlarmNames: [...names],
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
      MaxRecords: 100,
    }),
    { abortSignal: signal },
  );
  return [...(response.MetricAlarms ?? []), ...(response.CompositeAlarms ?? [])].map((alarm) => ({
    name: alarm.AlarmName ?? '',
    state: alarm.StateValue ?? 'INSUFFICIENT_DATA',
    ...(alarm.StateReason && { reason: alarm.StateReason }),
  }));
}
