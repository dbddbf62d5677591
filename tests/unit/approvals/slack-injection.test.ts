import { describe, expect, it } from 'vitest';
import {
  approvalClosedMessage,
  approvalDecidedMessage,
  approvalRequestMessage,
} from '../../../functions/approvals/adapters/approval-messages';
import {
  codeName,
  literalMrkdwn,
  quotedLiteral,
  safeHttpsUrl,
  slackLink,
} from '../../../functions/platform/slack/slack-text';
import { announcementSlackMessage } from '../../../functions/rollback/adapters/rollback-announcement';
import { approvalView } from './approval-view';

const view = approvalView;
/** The mrkdwn Slack parses for links and mentions; plain_text (header, buttons, dialogs) shows as written. */
function mrkdwnOf(message: { blocks: unknown[] }): string {
  const texts: string[] = [];
  JSON.stringify(message.blocks, (_key, value) => {
    if (value?.type === 'mrkdwn') texts.push(value.text);
    return value;
  });
  return JSON.stringify(texts);
}

describe('untrusted text in Slack messages', () => {
  it('an externalEntityLink cannot ping the channel or add a fake console link', () => {
    const link =
      'https://evil.example/x|Approve here><!channel> <https://phish.example|Review in the console';
    const json = mrkdwnOf(approvalRequestMessage({ ...view, externalEntityLink: link }));
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<https://phish.example');
    expect(json).toContain(
      '<https://evil.example/x%7CApprove%20here%3E%3C!channel%3E%20%3Chttps://phish.example%7CReview%20in%20the%20console|Changes to review>',
    );
  });

  it.each([
    'javascript:alert(1)',
    'http://example.com/plain',
    'data:text/html,<b>x</b>',
    'https://console.aws.amazon.com@evil.example/',
    'not a url',
  ])('refuses %s as a link and says so', (url) => {
    expect(safeHttpsUrl(url)).toBeUndefined();
    expect(slackLink(url, 'Changes to review', 2000)).toBe('Changes to review (not an https link)');
  });

  it('escapes & in link URLs and keeps query strings working', () => {
    expect(safeHttpsUrl('https://example.com/a?b=1&c=2#x|y')).toBe('https://example.com/a?b=1&amp;c=2#x%7Cy');
  });

  it('shows names as inline code, so a forged name carries no markup, mention or line break', () => {
    const forged = '<!channel>*bold*`\nsecond line';
    const json = mrkdwnOf(
      approvalRequestMessage({ ...view, pipeline: forged, stage: forged, action: forged }),
    );
    expect(json).not.toContain('<!channel>');
    expect(json).toContain('`&lt;!channel&gt;*bold*ˋ second line`');
    expect(codeName('payments_api-v2.prod@eu', 120)).toBe('`payments_api-v2.prod@eu`');
  });

  it('quotes every line of a reason and neutralises its mrkdwn, so it cannot fake an approval line', () => {
    const reason = 'wrong build\n:white_check_mark: *Approved* by @U0LOCAL002 (override)';
    const json = mrkdwnOf(
      approvalDecidedMessage(view, 'REJECTED', [
        {
          userId: 'U0BOB',
          userName: 'bob',
          outcome: 'Rejected',
          comment: reason,
          at: '2026-11-24T18:00:00Z',
        },
      ]),
    );
    expect(json).toContain('\\n> wrong build\\n> ∶white_check_mark∶ ∗Approved∗ by @U0LOCAL002 (override)');
    expect(json).not.toContain(':white_check_mark: *Approved*');
  });

  it('neutralises formatting only where Slack would format: words, times and ARNs stay as written', () => {
    expect(literalMrkdwn('snake_case at 11:30 on arn:aws:iam::1:role/a_b', 200)).toBe(
      'snake_case at 11:30 on arn:aws:iam::1:role/a_b',
    );
    expect(literalMrkdwn('_it_ ~s~ `c` :tada:', 200)).toBe('ˍitˍ ∼s∼ ˋcˋ ∶tada∶');
    expect(literalMrkdwn('> quote', 200)).toBe('\u00ad&gt; quote');
    expect(literalMrkdwn('a\u202eevil', 200)).toBe('aevil');
  });

  it('clips on code points, never inside an entity or a surrogate pair', () => {
    const clipped = quotedLiteral(`${'&'.repeat(98)}${'🚀'.repeat(10)}`, 500);
    expect(clipped.endsWith('…')).toBe(true);
    expect(clipped).toBe(`> ${'&amp;'.repeat(98)}🚀🚀🚀…`);
    const custom = literalMrkdwn(`${'<'.repeat(700)}${'🚀'.repeat(150)}`, 2900);
    expect(custom).toBe(`${'&lt;'.repeat(700)}${'🚀'.repeat(49)}…`);
  });

  it('the closing message quotes the outside approver and AWS answers as text', () => {
    const json = mrkdwnOf(
      approvalClosedMessage(view, [], {
        kind: 'decided-elsewhere',
        outcome: 'Approved',
        at: '2026-11-25T10:00:00Z',
        by: 'arn:aws:sts::1:assumed-role/x/<!channel>',
        summary: 'ok\n*Rejected* by <@U0BOSS>',
      }),
    );
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U0BOSS>');
    expect(json).toContain('> ∗Rejected∗ by &lt;@U0BOSS&gt;');
  });

  it('keeps the rollback announcement safe: alarm names and reasons inert, links checked', () => {
    const message = announcementSlackMessage({
      subject: 'Rollback failed: stop-deployment on codedeploy:app/<!channel>',
      lines: ['Alarm *p99* <!here> entered ALARM.', 'Reason: :white_check_mark: fine\n> quoted'],
      links: [
        { label: 'Alarm <!here>', url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home#alarm/x|y' },
        { label: 'Deployment', url: 'javascript:alert(1)' },
      ],
    });
    const json = mrkdwnOf(message);
    expect(json).not.toMatch(/<!(here|channel)>/);
    expect(message.blocks[0]?.type).toBe('header');
    expect(json).toContain('Alarm ∗p99∗ &lt;!here&gt; entered ALARM.');
    expect(json).toContain('Reason: ∶white_check_mark∶ fine\\n\u00ad&gt; quoted');
    expect(json).toContain('#alarm/x%7Cy|Alarm &lt;!here&gt;>');
    expect(json).toContain('Deployment (not an https link)');
  });
});
