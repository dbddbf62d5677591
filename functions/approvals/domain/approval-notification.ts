import * as z from 'zod/mini';
import { describeIssues, MalformedEventError } from '#platform/errors';

/** CodePipeline's manual-approval notification (docs: codepipeline/latest/userguide/approvals-json-format.html). */
export const approvalNotificationSchema = z.object({
  region: z.string(),
  consoleLink: z.optional(z.string()),
  approval: z.object({
    pipelineName: z.string().check(z.minLength(1)),
    stageName: z.string().check(z.minLength(1)),
    actionName: z.string().check(z.minLength(1)),
    token: z.string().check(z.minLength(1)),
    // "2016-07-07T20:22Z": minutes precision, so not z.iso.datetime().
    expires: z.string(),
    externalEntityLink: z.optional(z.nullable(z.string())),
    approvalReviewLink: z.optional(z.string()),
    customData: z.optional(z.nullable(z.string())),
  }),
});

export type ApprovalNotification = z.infer<typeof approvalNotificationSchema>;

const snsEventSchema = z.object({
  Records: z.array(
    z.object({
      Sns: z.object({ MessageId: z.string(), TopicArn: z.optional(z.string()), Message: z.string() }),
    }),
  ),
});

/** The approval notifications in an SNS event; a message that is not one is rejected with its reason. */
export function parseApprovalNotifications(event: unknown): ApprovalNotification[] {
  const envelope = snsEventSchema.safeParse(event);
  if (!envelope.success) {
    throw new MalformedEventError(`not an SNS event: ${describeIssues(envelope.error.issues)}`);
  }
  return envelope.data.Records.map(({ Sns }) => parseApprovalMessage(Sns.Message, Sns.MessageId));
}

export function parseApprovalMessage(message: string, messageId?: string): ApprovalNotification {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    // A plain-text message (an SNS test publish, a foreign publisher): nothing to approve.
    throw new MalformedEventError(
      'SNS message is not JSON, so not a CodePipeline approval notification',
      messageId,
    );
  }
  const parsed = approvalNotificationSchema.safeParse(raw);
  if (!parsed.success) {
    throw new MalformedEventError(
      `not a CodePipeline approval notification: ${describeIssues(parsed.error.issues)}`,
      messageId,
    );
  }
  return parsed.data;
}

/** `expires` as epoch milliseconds ("2016-07-07T20:22Z" has no seconds, which Date.parse accepts). */
export function approvalExpiresAt(notification: ApprovalNotification): number {
  const at = Date.parse(notification.approval.expires);
  if (Number.isNaN(at))
    throw new MalformedEventError(`approval.expires is not a date: ${notification.approval.expires}`);
  return at;
}
