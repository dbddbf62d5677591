import * as z from 'zod/mini';

/** A channel id (public C…, private G…, direct message D…): ids survive renames, names do not. */
export const slackChannelId = z.string().check(z.regex(/^[CGD][A-Z0-9]{2,}$/));
