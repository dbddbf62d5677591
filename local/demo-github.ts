import { readFileSync } from 'node:fs';
import { sign } from '@octokit/webhooks-methods';
import { DEV_GITHUB_WEBHOOK_SECRET } from './development-webhook-secrets';

interface GitHubDemo {
  deliveries: { event: string; delivery: string; payload: unknown }[];
}

const GITHUB_DEMO = new URL('../events/demo/github-actions.json', import.meta.url);
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** Every ISO time in a payload moved by `shiftMs`, as GitHub writes them (seconds, `Z`). */
function shifted(value: unknown, shiftMs: number): unknown {
  if (typeof value === 'string' && ISO_TIME.test(value)) {
    return new Date(Date.parse(value) + shiftMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  if (Array.isArray(value)) return value.map((item) => shifted(item, shiftMs));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, shifted(inner, shiftMs)]));
  }
  return value;
}

function latestTime(value: unknown): number {
  if (typeof value === 'string') return ISO_TIME.test(value) ? Date.parse(value) : 0;
  if (value && typeof value === 'object') return Math.max(0, ...Object.values(value).map(latestTime));
  return 0;
}

/**
 * The demo's GitHub Actions pipeline (github:acme/storefront:Deploy): events/demo/github-actions.json's
 * deliveries, shifted to end a few minutes ago, signed with the local webhook secret and posted to
 * POST /github/webhook as GitHub would send them.
 */
export async function replayGitHubDemo(baseUrl: string): Promise<number> {
  const demo = JSON.parse(readFileSync(GITHUB_DEMO, 'utf8')) as GitHubDemo;
  const shiftMs = Date.now() - 5 * 60_000 - latestTime(demo.deliveries.map((delivery) => delivery.payload));
  const secret = process.env.GITHUB_WEBHOOK_SECRET || DEV_GITHUB_WEBHOOK_SECRET;
  for (const { event, delivery, payload } of demo.deliveries) {
    const body = JSON.stringify(shifted(payload, shiftMs));
    const response = await fetch(`${baseUrl}/github/webhook`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': event,
        'x-github-delivery': delivery,
        'x-hub-signature-256': await sign(secret, body),
      },
      body,
    });
    if (!response.ok)
      throw new Error(`demo GitHub delivery ${delivery} failed: ${response.status} ${await response.text()}`);
  }
  return demo.deliveries.length;
}
