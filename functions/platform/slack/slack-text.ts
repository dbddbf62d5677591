/**
 * Text from outside (commit messages, custom data, comments, alarm names) made inert in Slack mrkdwn: Slack
 * reads `<…>` as links and mentions (`<!channel>`, `<https://x|label>`), so &, < and > must be escaped
 * (Slack "Formatting text for app surfaces").
 */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
