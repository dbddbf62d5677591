import * as z from 'zod/mini';
import { describeIssues, MalformedEventError } from '#platform/errors';

const user = z.object({ id: z.string(), username: z.optional(z.string()), name: z.optional(z.string()) });

const blockActions = z.object({
  type: z.literal('block_actions'),
  user,
  trigger_id: z.string(),
  /** Where Slack takes delayed answers to this click (ephemeral notes to the clicker). */
  response_url: z.optional(z.string()),
  channel: z.optional(z.object({ id: z.string() })),
  container: z.optional(z.object({ channel_id: z.optional(z.string()), message_ts: z.optional(z.string()) })),
  actions: z.array(
    z.object({ action_id: z.string(), value: z.optional(z.string()), action_ts: z.optional(z.string()) }),
  ),
});

const viewSubmission = z.object({
  type: z.literal('view_submission'),
  user,
  trigger_id: z.optional(z.string()),
  view: z.object({
    /** The modal's id: one decision per modal, whichever attempt delivers it. */
    id: z.optional(z.string()),
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.object({
      values: z.record(
        z.string(),
        z.record(z.string(), z.object({ value: z.optional(z.nullable(z.string())) })),
      ),
    }),
  }),
});

export const interactionPayloadSchema = z.union([blockActions, viewSubmission]);
export type InteractionPayload = z.infer<typeof interactionPayloadSchema>;
export type BlockActionsPayload = z.infer<typeof blockActions>;
export type ViewSubmissionPayload = z.infer<typeof viewSubmission>;

/** Slack posts interactions as application/x-www-form-urlencoded with one `payload` field holding JSON. */
export function parseInteractionBody(
  rawBody: string,
): InteractionPayload | { type: 'unsupported'; slackType: string } {
  const payload = new URLSearchParams(rawBody).get('payload');
  if (!payload) throw new MalformedEventError('Slack interaction body has no payload field');
  let raw: unknown;
  try {
    raw = JSON.parse(payload);
  } catch {
    throw new MalformedEventError('Slack interaction payload is not JSON');
  }
  // `payload=null`, `payload=42` or `payload=[]` parse as JSON but are no interaction.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new MalformedEventError(
      `Slack interaction payload: expected a JSON object, got ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}`,
    );
  }
  const slackType = (raw as { type?: unknown }).type;
  if (typeof slackType !== 'string') {
    throw new MalformedEventError('Slack interaction payload: type: expected a string');
  }
  if (slackType !== 'block_actions' && slackType !== 'view_submission') {
    return { type: 'unsupported', slackType: slackType.slice(0, 100) };
  }
  const parsed = interactionPayloadSchema.safeParse(raw);
  if (!parsed.success)
    throw new MalformedEventError(`Slack ${slackType} payload: ${describeIssues(parsed.error.issues)}`);
  return parsed.data;
}

export const displayName = (u: { id: string; username?: string; name?: string }) =>
  u.username ?? u.name ?? u.id;
