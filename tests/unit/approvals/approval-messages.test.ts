import { describe, expect, it } from 'vitest';
import {
  APPROVE_ACTION_ID,
  APPROVE_WITH_COMMENT_ACTION_ID,
  type ApprovalView,
  approvalClosedMessage,
  approvalDecidedMessage,
  approvalRequestMessage,
  REJECT_ACTION_ID,
  rejectReasonModal,
} from '../../../functions/approvals/adapters/approval-messages';
import { approvalView } from './approval-view';

const view: ApprovalView = {
  ...approvalView,
  customData: 'Check the canary dashboard first',
  reviewLink: 'https://console.aws.amazon.com/codepipeline/home#/view/web/Prod/Approve/approve/SECRET-TOKEN',
  revision: { commitId: '0123456789abcdef0123', summary: 'Fix checkout' },
};

describe('approval messages', () => {
  it('puts only the opaque approval id in the buttons, with a confirmation on Approve', () => {
    const message = approvalRequestMessage(view);
    const actions = message.blocks.find((b) => (b as { type: string }).type === 'actions') as {
      elements: { action_id: string; value: string; confirm?: object }[];
    };
    expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([
      [APPROVE_ACTION_ID, 'a1b2c3'],
      [APPROVE_WITH_COMMENT_ACTION_ID, 'a1b2c3'],
      [REJECT_ACTION_ID, 'a1b2c3'],
    ]);
    expect(actions.elements[0]?.confirm).toBeDefined();
    expect(JSON.stringify(message)).toContain('0123456789ab');
    expect(JSON.stringify(message)).toContain('Check the canary dashboard first');
    expect(JSON.stringify(message)).not.toContain('SECRET-TOKEN');
    expect(JSON.stringify(message)).toContain('#/view/web/Prod/Approve|');
  });

  it('replaces the buttons with who decided what once decided', () => {
    const message = approvalDecidedMessage(view, 'REJECTED', [
      {
        userId: 'U0BOB',
        userName: 'bob',
        outcome: 'Rejected',
        comment: 'breaks checkout',
        at: '2026-11-24T18:00:00Z',
      },
    ]);
    const json = JSON.stringify(message);
    expect(json).not.toContain('"actions"');
    expect(json).toContain('*Rejected* by <@U0BOB>');
    expect(json).toContain('breaks checkout');
  });

  it.each([
    [{ kind: 'timed-out', at: '2026-12-01T10:00:00Z' }, 'Expired', 'Nobody decided before the deadline'],
    [
      { kind: 'superseded', at: '2026-11-25T10:00:00Z' },
      'Superseded',
      'A newer execution superseded this one',
    ],
    [{ kind: 'canceled', at: '2026-11-25T10:00:00Z' }, 'Canceled', 'CodePipeline canceled this approval'],
    [
      {
        kind: 'completed-before-slack',
        at: '2026-11-25T10:00:00Z',
        answer: 'ApprovalAlreadyCompletedException: done',
      },
      'Completed outside Slack',
      'already completed outside Slack',
    ],
    [
      { kind: 'decided-elsewhere', outcome: 'Rejected', at: '2026-11-25T10:00:00Z' },
      'Rejected outside Slack',
      'CodePipeline does not say by whom',
    ],
  ] as const)('says what happened and when, without buttons: %j', (ending, headline, text) => {
    const message = approvalClosedMessage(view, [], ending);
    const json = JSON.stringify(message.blocks);
    expect(message.text).toBe(`${headline}: web / Prod / Approve`);
    expect(json).toContain(`"text":"${headline}: web"`);
    expect(json).toContain(text);
    expect(json).toMatch(/<!date\^\d+\^/);
    expect(json).not.toContain('"actions"');
  });

  it('names who approved outside Slack, when, and quotes their summary', () => {
    const json = JSON.stringify(
      approvalClosedMessage(view, [], {
        kind: 'decided-elsewhere',
        outcome: 'Approved',
        at: '2026-11-25T10:00:00Z',
        by: 'arn:aws:sts::123456789012:assumed-role/Release/alice',
        summary: 'canary is green',
      }),
    );
    expect(json).toContain(
      'Approved outside Slack by `arn:aws:sts::123456789012:assumed-role/Release/alice`',
    );
    expect(json).toContain('|2026-11-25T10:00:00.000Z>');
    expect(json).toContain('> canary is green');
  });

  it('keeps the Slack decisions in the closing message (approvals under a quorum, a resent decision)', () => {
    const json = JSON.stringify(
      approvalClosedMessage(
        view,
        [
          {
            userId: 'U0ALICE',
            userName: 'alice',
            outcome: 'Approved',
            comment: 'ship it',
            at: '2026-11-24T18:00:00Z',
          },
        ],
        {
          kind: 'not-confirmed',
          at: '2026-11-25T10:00:00Z',
          answer: 'InvalidApprovalTokenException: superseded',
          decision: 'Approved',
          userId: 'U0ALICE',
        },
      ),
    );
    expect(json).toContain('*Approved* by <@U0ALICE>');
    expect(json).toContain('> ship it');
    expect(json).toContain('CodePipeline did not confirm the approved decision by <@U0ALICE>');
  });

  it('shows commit messages, custom data, comments and details as text: no mentions, no disguised links', () => {
    const hostile = '<!channel> pre-approved: <https://evil.example/approve|Review in the console> & done';
    const request = approvalRequestMessage({
      ...view,
      customData: hostile,
      revision: { commitId: '0123456789abcdef0123', summary: hostile },
    });
    const decided = approvalDecidedMessage(view, 'REJECTED', [
      { userId: 'U0BOB', userName: 'bob', outcome: 'Rejected', comment: hostile, at: '2026-11-24T18:00:00Z' },
    ]);
    const closed = approvalClosedMessage(view, [], {
      kind: 'completed-before-slack',
      at: '2026-11-25T10:00:00Z',
      answer: hostile,
    });
    for (const message of [request, decided, closed]) {
      const json = JSON.stringify(message.blocks);
      expect(json).not.toContain('<!channel>');
      expect(json).not.toContain('<https://evil.example');
      expect(json).toContain(
        '&lt;!channel&gt; pre-approved: &lt;https://evil.example/approve|Review in the console&gt; &amp; done',
      );
    }
  });

  it('clips long untrusted text without cutting an escaped character in half', () => {
    const message = approvalRequestMessage({ ...view, customData: `${'x'.repeat(2896)}<<<<` });
    const section = message.blocks.find((b) => JSON.stringify(b).includes('xxxx')) as {
      text: { text: string };
    };
    // 2,896 x and four `&lt;`: the 2,900-character cut would fall inside the first entity, so it stops before it.
    expect(section.text.text).toBe(`${'x'.repeat(2896)}…`);
  });

  it('carries the approval id, not the token, through the reject modal', () => {
    expect(rejectReasonModal(view)).toMatchObject({ private_metadata: 'a1b2c3' });
  });
});
