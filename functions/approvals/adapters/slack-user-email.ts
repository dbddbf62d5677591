import type { SlackApi, SlackUserEmail } from '#approvals/ports';

/**
 * Slack e-mails by user id, cached for the container's life: an e-mail rarely changes, and a click must not
 * wait for users.info twice. A failed lookup is not cached, so the next click asks again.
 */
export function cachedSlackUserEmail(slack: () => Promise<SlackApi>): SlackUserEmail {
  const emails = new Map<string, Promise<string | undefined>>();
  return (userId) => {
    let email = emails.get(userId);
    if (!email) {
      email = slack().then((api) => api.userEmail(userId));
      emails.set(userId, email);
      email.catch(() => emails.delete(userId));
    }
    return email;
  };
}
