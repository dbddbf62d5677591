import type { KnownBlock, ModalView } from '@slack/types';
import {
  BLOCK_KIT_LIMITS,
  CONTEXT_TEXT_MAX,
  FALLBACK_TEXT_MAX,
} from '../../../functions/platform/slack/block-kit';

const L = BLOCK_KIT_LIMITS;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const BROKEN_ENTITY = /&(?!amp;|lt;|gt;)/;
/** The only `<…>` tokens we write ourselves: user mentions, group mentions, dates and https links. */
const OUR_TOKEN =
  /^<(@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+|!date\^\d+\^[^|<>]+\|[^<>]+|https:\/\/[^|<>\s]+\|[^<>]+)>$/;

interface Text {
  type: string;
  text: string;
}

/** Every Block Kit limit a payload can break, as readable violations (empty when it is valid). */
export function limitViolations(payload: {
  text?: string;
  blocks: readonly KnownBlock[];
  modal?: ModalView;
}): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  const text = (where: string, object: Text | undefined, max: number) => {
    if (!object) return;
    check(object.text.length >= 1 && object.text.length <= max, `${where}: ${object.text.length} > ${max}`);
    check(!LONE_SURROGATE.test(object.text), `${where}: lone surrogate`);
    if (object.type === 'mrkdwn') {
      check(!BROKEN_ENTITY.test(object.text), `${where}: broken entity`);
      for (const token of object.text.match(/<[^<>]*>?/g) ?? [])
        check(OUR_TOKEN.test(token), `${where}: foreign token ${token.slice(0, 60)}`);
      check(!/<[^>]*$/.test(object.text), `${where}: unclosed <`);
    }
  };
  if (payload.text !== undefined) {
    check(payload.text.length >= 1 && payload.text.length <= FALLBACK_TEXT_MAX, 'fallback text length');
    check(!LONE_SURROGATE.test(payload.text), 'fallback text: lone surrogate');
  }
  check(payload.blocks.length <= (payload.modal ? L.modalBlocks : L.messageBlocks), 'too many blocks');
  payload.blocks.forEach((block, index) => {
    const where = `block ${index} (${block.type})`;
    if (block.block_id !== undefined) check(block.block_id.length <= L.blockId, `${where}: block_id`);
    if (block.type === 'header') {
      check(block.text.type === 'plain_text', `${where}: header not plain text`);
      text(where, block.text, L.headerText);
    } else if (block.type === 'section') {
      check(Boolean(block.text) || Boolean(block.fields?.length), `${where}: empty section`);
      text(where, block.text, L.sectionText);
      check((block.fields?.length ?? 0) <= L.sectionFields, `${where}: too many fields`);
      for (const field of block.fields ?? []) text(`${where} field`, field, L.sectionFieldText);
    } else if (block.type === 'context') {
      check(block.elements.length <= L.contextElements, `${where}: too many elements`);
      for (const element of block.elements)
        if ('text' in element) text(`${where} element`, element as Text, CONTEXT_TEXT_MAX);
    } else if (block.type === 'actions') {
      check(block.elements.length <= L.actionsElements, `${where}: too many elements`);
      for (const element of block.elements) {
        if (element.type !== 'button') continue;
        text(`${where} button`, element.text, L.buttonText);
        check((element.value ?? '').length <= L.buttonValue, `${where}: button value`);
        check((element.action_id ?? '').length <= L.actionId, `${where}: action_id`);
        if (element.confirm) {
          text(`${where} confirm title`, element.confirm.title, L.confirmTitle);
          text(`${where} confirm text`, element.confirm.text as Text, L.confirmText);
          text(`${where} confirm button`, element.confirm.confirm, L.confirmButton);
          text(`${where} deny button`, element.confirm.deny, L.confirmButton);
        }
      }
    } else if (block.type === 'input') {
      text(`${where} label`, block.label, L.inputLabel);
    } else {
      problems.push(`${where}: a block type this check does not know`);
    }
  });
  if (payload.modal) {
    const { modal } = payload;
    text('modal title', modal.title, L.viewTitle);
    text('modal submit', modal.submit, L.viewButton);
    text('modal close', modal.close, L.viewButton);
    check((modal.private_metadata ?? '').length <= L.privateMetadata, 'private_metadata');
    check((modal.callback_id ?? '').length <= L.callbackId, 'callback_id');
  }
  return problems;
}
