/**
 * Clicks Approve or Reject on a pending approval as Slack would: a `block_actions` payload, form-encoded and
 * signed with the local signing secret (SLACK_SIGNING_SECRET, default the public development one), posted
 * to the local Slack interactivity endpoint. Run: npm run slack-click -- approve <approvalId> [options]
 */
import { parseArgs } from 'node:util';
import { APPROVE_ACTION_ID, REJECT_ACTION_ID } from '../functions/approvals/adapters/approval-messages';
import { signSlackRequest } from '../functions/approvals/slack-interactions/verify-slack-signature';
import { DEV_SIGNING_SECRET } from '../local/development-slack-credentials';

const HELP = `Usage: npm run slack-click -- <approve|reject> <approvalId> [options]

Signs a Slack button click for the local control plane and posts it to /slack/interactions.
The approval id is in GET /api/approvals (field "id") and on the buttons in GET /local/slack.

Options:
  --user <id>   Slack user id of the approver (default U0LOCAL001; the local policy allows U0LOCAL001, U0LOCAL002)
  --url <url>   The local control plane (default http://127.0.0.1:$PORT or :3000)
  -h, --help    Show this help
`;

export interface SlackClick {
  decision: 'approve' | 'reject';
  approvalId: string;
  user: string;
}

/** The form body and headers Slack sends for one button click, signed with `signingSecret`. */
export function signedSlackClick(click: SlackClick, signingSecret: string, now = Date.now()) {
  const payload = {
    type: 'block_actions',
    user: { id: click.user },
    trigger_id: `local.${now}`,
    actions: [
      {
        action_id: click.decision === 'approve' ? APPROVE_ACTION_ID : REJECT_ACTION_ID,
        value: click.approvalId,
      },
    ],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return {
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(body, signingSecret, Math.floor(now / 1000)),
    },
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      user: { type: 'string', default: 'U0LOCAL001' },
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3000}` },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [decision, approvalId] = positionals;
  if (values.help || (decision !== 'approve' && decision !== 'reject') || !approvalId) {
    process.stdout.write(HELP);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const { body, headers } = signedSlackClick(
    { decision, approvalId, user: values.user },
    process.env.SLACK_SIGNING_SECRET || DEV_SIGNING_SECRET,
  );
  const response = await fetch(`${values.url}/slack/interactions`, { method: 'POST', headers, body });
  console.info(`${response.status} ${await response.text()}`);
  if (!response.ok) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(`slack-click failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
