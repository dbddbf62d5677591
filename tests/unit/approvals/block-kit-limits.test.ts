import type { KnownBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import {
  type ApprovalEnding,
  type ApprovalView,
  approvalClosedMessage,
  approvalDecidedMessage,
  approvalRequestMessage,
  approveCommentModal,
  rejectReasonModal,
  type SlackMessage,
} from '../../../functions/approvals/adapters/approval-messages';
import type { Decision } from '../../../functions/approvals/domain/decide-approval';
import { announcementSlackMessage } from '../../../functions/rollback/adapters/rollback-announcement';
import { limitViolations } from './block-kit-limits';

// Extreme but legal: CodePipeline names are 1-100 of [A-Za-z0-9.@\-_], custom data and comments are free text.
const name = (first: string) => `${first}${'a.b-c_d@e'.repeat(11)}`.slice(0, 100);
const longLink = (path: string) => `https://example.com/${path}?${'q=1&'.repeat(245)}`.slice(0, 1000);
const hostile = [
  `${'<'.repeat(700)}${'🚀'.repeat(150)}`,
  `${'&'.repeat(98)}${'🚀'.repeat(10)}`,
  'مرحبا بالعالم، هذا تعليق طويل '.repeat(20),
  `${'👩‍👩‍👧‍👦'.repeat(60)}`,
  `${'*bold* _it_ ~s~ `c` :tada: > q\n'.repeat(30)}`,
  '&'.repeat(3000),
];

const view = (customData: string): ApprovalView => ({
  id: 'f'.repeat(64),
  pipeline: name('P'),
  stage: name('S'),
  action: name('A'),
  region: 'ap-southeast-2',
  deadline: Date.parse('2026-12-01T10:00:00Z'),
  quorum: 10,
  customData,
  reviewLink: `${longLink('codepipeline')}/approve/1a2b3c4d-573f-4ea7-a67e-000000000001`,
  externalEntityLink: longLink('changes'),
  consoleLink: longLink('console'),
  revision: { commitId: '0123456789abcdef0123', summary: hostile[2] ?? '' },
});

const decisions = (comment: string, outcome: Decision['outcome'] = 'Approved'): Decision[] =>
  Array.from({ length: 10 }, (_, index) => ({
    userId: `U0APPROVER${index}`,
    userName: `approver ${index}`,
    outcome,
    comment: Array.from(comment).slice(0, 400).join(''),
    at: `2026-11-24T18:0${index}:00Z`,
  }));

const endings: ApprovalEnding[] = [
  {
    kind: 'decided-elsewhere',
    outcome: 'Approved',
    at: '2026-11-25T10:00:00Z',
    by: `arn:aws:sts::123456789012:assumed-role/${'r'.repeat(64)}/${'🚀'.repeat(40)}`,
    summary: hostile[0] ?? '',
  },
  { kind: 'decided-elsewhere', outcome: 'Rejected', at: '2026-11-25T10:00:00Z' },
  { kind: 'timed-out', at: '2026-12-01T10:00:00Z' },
  { kind: 'superseded', at: '2026-11-25T10:00:00Z' },
  { kind: 'canceled', at: '2026-11-25T10:00:00Z' },
  {
    kind: 'completed-before-slack',
    at: '2026-11-25T10:00:00Z',
    answer: `ApprovalAlreadyCompletedException: ${hostile[1]}`,
  },
  {
    kind: 'not-confirmed',
    at: '2026-11-25T10:00:00Z',
    answer: `InvalidApprovalTokenException: ${hostile[5]}`,
    decision: 'Approved',
    userId: 'U0APPROVER9',
  },
];

function everyPayload(): [string, SlackMessage][] {
  const payloads: [string, SlackMessage][] = [];
  hostile.forEach((text, index) => {
    payloads.push([`request ${index}`, approvalRequestMessage(view(text))]);
    payloads.push([
      `request with 9 approvals ${index}`,
      approvalRequestMessage(view(text), decisions(text).slice(0, 9)),
    ]);
    payloads.push([
      `approved by 10 ${index}`,
      approvalDecidedMessage(view(text), 'APPROVED', decisions(text)),
    ]);
    payloads.push([
      `rejected ${index}`,
      approvalDecidedMessage(view(text), 'REJECTED', decisions(text, 'Rejected').slice(0, 1)),
    ]);
    for (const ending of endings) {
      payloads.push([`${ending.kind} ${index}`, approvalClosedMessage(view(text), decisions(text), ending)]);
    }
    payloads.push([
      `rollback ${index}`,
      announcementSlackMessage({
        subject: `Rollback failed: rollback-stage on pipeline:${name('P')}/${name('S')}`.slice(0, 100),
        lines: [`Alarm ${text} entered ALARM.`, `Reason: ${text}`, `Detail: ${text}`],
        links: [
          { label: `Alarm ${text}`, url: longLink('alarm') },
          { label: 'Deployment d-1', url: `https://x.example/${'%7C'.repeat(400)}` },
          { label: 'Rejected', url: 'javascript:alert(1)' },
        ],
      }),
    ]);
  });
  return payloads;
}

describe('Block Kit limits, by construction', () => {
  it.each(everyPayload())('%s stays within every limit', (_name, message) => {
    expect(limitViolations(message)).toEqual([]);
  });

  it('splits ten approvers with 400-character comments across sections instead of one oversized one', () => {
    const message = approvalDecidedMessage(view('x'), 'APPROVED', decisions('&'.repeat(400)));
    const decisionSections = message.blocks.filter(
      (block) => block.type === 'section' && block.text?.text.includes('*Approved* by'),
    );
    expect(decisionSections.length).toBeGreaterThan(1);
    for (const index of Array.from({ length: 10 }, (_, i) => i))
      expect(JSON.stringify(message.blocks)).toContain(`<@U0APPROVER${index}>`);
  });

  it.each([
    ['reject', rejectReasonModal(view('x'))],
    ['approve with comment', approveCommentModal(view('x'))],
  ])('the %s modal stays within the view limits', (_name, modal) => {
    expect(limitViolations({ blocks: modal.blocks as KnownBlock[], modal })).toEqual([]);
  });

  it('clips on code points: the surrogate-pair cases keep whole emoji', () => {
    const message = approvalClosedMessage(
      view(hostile[0] ?? ''),
      decisions(hostile[1] ?? ''),
      endings[0] as ApprovalEnding,
    );
    const json = JSON.stringify(message);
    expect(json).not.toMatch(/\\ud83d(?!\\ude80)/i);
    expect(limitViolations(message)).toEqual([]);
  });
});
