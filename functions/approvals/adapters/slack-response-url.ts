/**
 * Tells the clicker something privately through the interaction's `response_url` (an ephemeral message
 * that leaves the original alone). Only Slack's own hosts, or the configured local Slack, are ever called:
 * the URL arrives in a signed payload, but a signed payload is still not where we send requests blindly.
 */
export function slackResponder(options: { allowedOrigins: readonly string[]; timeoutMs: number }) {
  return async (responseUrl: string, text: string): Promise<void> => {
    const url = new URL(responseUrl);
    if (!options.allowedOrigins.includes(url.origin)) {
      throw new Error(`response_url origin ${url.origin} is not Slack's`);
    }
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    if (!response.ok) throw new Error(`response_url answered ${response.status}`);
  };
}

export const SLACK_RESPONSE_ORIGIN = 'https://hooks.slack.com';
