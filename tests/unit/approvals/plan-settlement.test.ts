import { describe, expect, it } from 'vitest';
import {
  OWN_CLAIM_RESUME_AFTER_MS,
  planSettlement,
  SEND_CLAIM_TTL_MS,
  type SettlementState,
} from '../../../functions/approvals/domain/plan-settlement';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const decided: SettlementState = { status: 'APPROVED' };

describe('planSettlement', () => {
  it.each<[string, SettlementState, string, string]>([
    ['nobody decided yet', { status: 'PENDING' }, 'me', 'pending'],
    ['decided, never sent', decided, 'me', 'send'],
    ['rejected, never sent', { status: 'REJECTED' }, 'me', 'send'],
    [
      'rejected, sent, message not yet shown',
      { status: 'REJECTED', resultSentAt: ago(0), messageShows: 'APPROVED' },
      'me',
      'show',
    ],
    [
      'another sender claimed it a moment ago',
      { ...decided, sendClaimedBy: 'other', sendClaimedAt: ago(5_000) },
      'me',
      'wait',
    ],
    [
      "another sender's claim older than a worker's timeout but younger than the claim's lease",
      { ...decided, sendClaimedBy: 'other', sendClaimedAt: ago(OWN_CLAIM_RESUME_AFTER_MS) },
      'me',
      'wait',
    ],
    [
      'another sender claimed it long ago (it died)',
      { ...decided, sendClaimedBy: 'other', sendClaimedAt: ago(SEND_CLAIM_TTL_MS) },
      'me',
      'send',
    ],
    [
      'its own claim, still possibly running (a duplicate delivery)',
      { ...decided, sendClaimedBy: 'me', sendClaimedAt: ago(1_000) },
      'me',
      'wait',
    ],
    [
      'its own claim, from an attempt that has certainly ended (a retry)',
      { ...decided, sendClaimedBy: 'me', sendClaimedAt: ago(OWN_CLAIM_RESUME_AFTER_MS) },
      'me',
      'send',
    ],
    ['confirmed, message not yet shown', { ...decided, resultSentAt: ago(0) }, 'me', 'show'],
    ['closed elsewhere, message not yet shown', { status: 'COMPLETED_ELSEWHERE' }, 'me', 'show'],
    ['expired, message shown', { status: 'EXPIRED', messageShows: 'EXPIRED' }, 'me', 'settled'],
    ['confirmed and shown', { ...decided, resultSentAt: ago(0), messageShows: 'APPROVED' }, 'me', 'settled'],
  ])('%s', (_case, state, owner, kind) => {
    expect(planSettlement(state, owner, NOW).kind).toBe(kind);
  });
});
