import type {
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import { clipMrkdwn, clipText } from './slack-text';

/**
 * Block Kit's limits (Slack's block, element, composition-object and view references; the same numbers as
 * slackblocks' spec/limits.json). Slack rejects a payload over any of them, and chat.update's rejection
 * is only logged, so every builder below clips to them.
 */
export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  headerText: 150,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  plainTextInput: 3000,
} as const;

/**
 * Our own, stricter budgets. A context element's text has no documented limit beyond a text object's
 * 3,000; 2,000 (a section field's) leaves room. The top-level `text` is the notification and screen-reader
 * fallback: chat.postMessage truncates it at 40,000 characters and Slack advises under 4,000.
 */
export const CONTEXT_TEXT_MAX = 2000;
export const FALLBACK_TEXT_MAX = 4000;

/** A message as chat.postMessage and chat.update take it. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

export const plainText = (text: string, max: number): PlainTextElement => ({
  type: 'plain_text',
  text: clipText(text, max),
});

/**
 * mrkdwn that Slack does not pre-process: with `verbatim` false (the default) Slack would link-ify bare
 * URLs and channel names and parse some mentions in the plain text; our own `<@U…>` and `<!date…>` still work.
 */
export const mrkdwn = (text: string, max: number): MrkdwnElement => ({
  type: 'mrkdwn',
  text: clipMrkdwn(text, max),
  verbatim: true,
});

export const headerBlock = (text: string): HeaderBlock => ({
  type: 'header',
  text: plainText(text, BLOCK_KIT_LIMITS.headerText),
});

export const fieldsBlock = (fields: readonly string[]): SectionBlock => ({
  type: 'section',
  fields: fields
    .slice(0, BLOCK_KIT_LIMITS.sectionFields)
    .map((field) => mrkdwn(field, BLOCK_KIT_LIMITS.sectionFieldText)),
});

export const contextBlock = (texts: readonly string[]): ContextBlock => ({
  type: 'context',
  elements: texts.slice(0, BLOCK_KIT_LIMITS.contextElements).map((text) => mrkdwn(text, CONTEXT_TEXT_MAX)),
});

/**
 * Paragraphs (each at most a section's text) packed into as few sections as fit, one paragraph never split:
 * ten approvers with long comments become several sections instead of one Slack refuses.
 */
export function sectionBlocks(paragraphs: readonly string[]): SectionBlock[] {
  const max = BLOCK_KIT_LIMITS.sectionText;
  const texts: string[] = [];
  for (const paragraph of paragraphs.map((p) => clipMrkdwn(p, max))) {
    const last = texts.at(-1);
    if (last !== undefined && last.length + 1 + paragraph.length <= max)
      texts[texts.length - 1] = `${last}\n${paragraph}`;
    else texts.push(paragraph);
  }
  return texts.filter(Boolean).map((text) => ({ type: 'section', text: mrkdwn(text, max) }));
}

/**
 * The message, within 50 blocks: if a caller ever built more, the last ones are kept (the outcome and the
 * buttons come last) and the ones before them dropped, with a note that something is missing.
 */
export function slackMessage(text: string, blocks: readonly KnownBlock[]): SlackMessage {
  const max = BLOCK_KIT_LIMITS.messageBlocks;
  const kept =
    blocks.length <= max
      ? [...blocks]
      : [
          ...blocks.slice(0, 1),
          contextBlock([`${blocks.length - max + 1} parts left out: Slack shows at most ${max} blocks.`]),
          ...blocks.slice(blocks.length - max + 2),
        ];
  return { text: clipText(text, FALLBACK_TEXT_MAX), blocks: kept };
}
