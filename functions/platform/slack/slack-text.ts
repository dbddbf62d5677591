/**
 * Text from outside (commit messages, custom data, comments, alarm names, AWS errors) made inert in Slack
 * mrkdwn, and clipped so that it fits Block Kit's limits without producing broken text.
 *
 * Slack reads `<…>` as links and mentions (`<!channel>`, `<https://x|label>`), so &, < and > are escaped
 * (Slack "Formatting text for app surfaces"). Slack offers no escape for `*`, `_`, `~`, `` ` ``, `:emoji:`
 * or a leading `>`; where they could format, they become look-alike characters (the replacements jsx-slack
 * uses in links, where its date-fallback trick cannot apply), so a comment cannot fake our own bold
 * "*Approved* by" line.
 */

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const BACKTICK_LOOK_ALIKE = 'ˋ';
const LOOK_ALIKE: Record<string, string> = { '*': '∗', _: 'ˍ', '~': '∼', '`': BACKTICK_LOOK_ALIKE };
// Explicit direction overrides and isolates can reorder the trusted text that follows them on screen;
// right-to-left text itself needs none of them.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/u;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
// An emoji shortcode (`:white_check_mark:`, `:+1:`) that starts a word: times (`11:50:00`) have no letter
// and ARNs (`arn:aws:iam::…`) put a word before their colons, so both stay as written.
const EMOJI_SHORTCODE = /(?<![\p{L}\p{N}]):(?=[a-z0-9_+'-]*[a-z+])[a-z0-9_+'-]+:/giu;

/**
 * The escaped form of each code point of `text`, so that a clip between two units can never cut an
 * entity or a surrogate pair in half. Markers inside a word (`snake_case`, `a*b`) cannot format in Slack
 * and stay as they are, so names and URLs in prose remain copyable.
 */
function literalUnits(text: string): string[] {
  const colonsOfShortcodes = new Set<number>();
  for (const match of text.matchAll(EMOJI_SHORTCODE)) {
    colonsOfShortcodes.add(match.index);
    colonsOfShortcodes.add(match.index + match[0].length - 1);
  }
  const units: string[] = [];
  let offset = 0;
  let previous = '';
  const codePoints = Array.from(text);
  codePoints.forEach((char, index) => {
    const next = codePoints[index + 1] ?? '';
    const lineStart = previous === '' || previous === '\n';
    const lookAlike = LOOK_ALIKE[char];
    let unit = char;
    if (BIDI_CONTROLS.test(char)) unit = '';
    else if (ESCAPED[char]) unit = ESCAPED[char];
    // A backtick opens code anywhere; the other markers only where a word does not surround them.
    else if (lookAlike && (char === '`' || !(WORD_CHARACTER.test(previous) && WORD_CHARACTER.test(next))))
      unit = lookAlike;
    else if (char === ':' && colonsOfShortcodes.has(offset)) unit = '∶';
    // A line starting with `&gt;` is a block quote; a soft hyphen before it is invisible and stops that.
    if (char === '>' && lineStart) unit = `\u00ad${unit}`;
    units.push(unit);
    offset += char.length;
    previous = char;
  });
  return units;
}

const ELLIPSIS = '…';

function joinWithin(units: readonly string[], max: number): string {
  const whole = units.join('');
  if (whole.length <= max) return whole;
  let clipped = '';
  for (const unit of units) {
    if (clipped.length + unit.length > max - ELLIPSIS.length) break;
    clipped += unit;
  }
  return `${clipped}${ELLIPSIS}`;
}

/**
 * Untrusted text as inert mrkdwn of at most `max` UTF-16 units (Slack's own measure is not documented; code
 * units are the stricter of the two), clipped between code points with an ellipsis.
 */
export function literalMrkdwn(text: string, max: number): string {
  return joinWithin(literalUnits(text), max);
}

/**
 * A name (pipeline, stage, action, alarm) as inline code: legal CodePipeline names (`[A-Za-z0-9.@\-_]+`)
 * show exactly as written and stay copyable, and a forged one with markup or line breaks still stays text.
 */
export function codeName(name: string, max: number): string {
  const inert = Array.from(name.replace(/\s+/g, ' '), (char) =>
    BIDI_CONTROLS.test(char) ? '' : char === '`' ? BACKTICK_LOOK_ALIKE : (ESCAPED[char] ?? char),
  );
  return `\`${joinWithin(inert, max - 2)}\``;
}

/** Each line of untrusted text quoted on its own (Slack's `>` quotes one line only) and made inert. */
export function quotedLiteral(text: string, max: number): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  return joinWithin(
    lines.flatMap((line, index) => [index === 0 ? '> ' : '\n> ', ...literalUnits(line)]),
    max,
  );
}

/** Plain text (no markup) clipped to `max` UTF-16 units, never inside a surrogate pair. */
export function clipText(text: string, max: number): string {
  return joinWithin(Array.from(text), max);
}

/**
 * Already built mrkdwn (ours, around escaped parts) cut to `max` as a last resort: never inside a surrogate
 * pair, an entity (`&amp;`) or a `<…>` token.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = clipText(text, max).slice(0, -ELLIPSIS.length);
  const openToken = cut.lastIndexOf('<');
  if (openToken > cut.lastIndexOf('>')) cut = cut.slice(0, openToken);
  const openEntity = cut.lastIndexOf('&');
  if (openEntity >= 0 && !cut.slice(openEntity).includes(';')) cut = cut.slice(0, openEntity);
  return `${cut}${ELLIPSIS}`;
}

/**
 * An https URL made safe inside `<url|label>`, or undefined when it is not one. Other schemes
 * (`javascript:`, `http:`) and URLs with user info (`https://console.aws.amazon.com@evil.example`) are
 * refused; `|` and `>` would end the URL part, so they are percent-encoded, and `&` is escaped.
 */
export function safeHttpsUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.username || parsed.password) return undefined;
  return parsed.href.replace(/[|<>]/g, encodeURIComponent).replace(/&/g, '&amp;');
}

/**
 * `<url|label>` for an https URL that fits in `max` with its label; otherwise the label alone, with why
 * there is no link, so a refused or oversized URL is visible rather than silently dropped.
 */
export function slackLink(url: string, label: string, max: number): string {
  const href = safeHttpsUrl(url);
  const text = literalMrkdwn(label, Math.min(max, 200));
  if (!href) return `${text} (not an https link)`;
  const link = `<${href}|${text}>`;
  return link.length <= max ? link : `${text} (link too long to show)`;
}
