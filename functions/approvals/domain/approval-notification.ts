import * as z from 'zod/mini';
import { awsRegion, boundedString, codePipelineName } from '#events/aws-names';
import { isoTimeWithin, parseIsoDateTime } from '#events/aws-timestamp';
import { describeIssues, MalformedEventError } from '#platform/errors';

// A manual approval times out after at most 7 days; a day more allows for clock skew.
const LONGEST_APPROVAL_MS = 8 * 86_400_000;

/** CodePipeline's manual-approval notification (docs: codepipeline/latest/userguide/approvals-json-format.html). */
export const approvalNotificationSchema = z.object({
  region: awsRegion,
  consoleLink: z.optional(boundedString(2048)),
  approval: z.object({
    pipelineName: codePipelineName,
    stageName: codePipelineName,
    actionName: codePipelineName,
    // A UUID from CodePipeline; PutApprovalResult accepts no other shape.
    token: boundedString(128).check(z.regex(/^[A-Za-z0-9-]+$/, 'expected an approval token (a UUID)')),
    // "2016-07-07T20:22Z": minutes precision, so not z.iso.datetime().
    expires: isoTimeWithin(LONGEST_APPROVAL_MS),
    // The action's ExternalEntityLink (a URL, 2,048 characters) and CustomData (500 characters).
    externalEntityLink: z.optional(z.nullable(boundedString(2048, 0))),
    approvalReviewLink: z.optional(boundedString(4096)),
    customData: z.optional(z.nullable(boundedString(500, 0))),
  }),
});

/** The notification, and the account of the topic it came through: the pipeline's account (docs/multi-account.md). */
export type ApprovalNotification = z.infer<typeof approvalNotificationSchema> & { account?: string };

const snsEventSchema = z.object({
  Records: z.array(
    z.object({
      // SNS messages are at most 256 KB.
      Sns: z.object({
        MessageId: boundedString(128),
        TopicArn: z.optional(boundedString(1024)),
        Message: boundedString(262_144, 0),
      }),
    }),
  ),
});

/** The approval notifications in an SNS event; a message that is not one is rejected with its reason. */
export function parseApprovalNotifications(event: unknown): ApprovalNotification[] {
  const envelope = snsEventSchema.safeParse(event);
  if (!envelope.success) {
    throw new MalformedEventError(`not an SNS event: ${describeIssues(envelope.error.issues)}`);
  }
  return envelope.data.Records.map(({ Sns }) => {
    const notification = parseApprovalMessage(Sns.Message, Sns.MessageId);
    // arn:aws:sns:<region>:<account>:<topic>: CodePipeline publishes to a topic of the pipeline's own account.
    const account = Sns.TopicArn?.split(':')[4];
    return account && /^[0-9]{12}$/.test(account) ? { ...notification, account } : notification;
  });
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

/** `expires` as epoch milliseconds ("2016-07-07T20:22Z" has no seconds). */
export function approvalExpiresAt(notification: ApprovalNotification): number {
  const at = parseIsoDateTime(notification.approval.expires);
  if (at === undefined)
    throw new MalformedEventError(`approval.expires is not a date: ${notification.approval.expires}`);
  return at;
}
