/**
 * EventBridge event-pattern matching, for routing local events by the rules in template.yaml.
 * EventBridge matches with AWS's Java library aws/event-ruler and no maintained npm package implements it,
 * so this follows event-ruler's model (tests/fixtures/event-ruler holds cases from its test suite):
 * - The event is flattened into leaves, each a path and a plain value (string, number, boolean, null).
 *   An array, nested ones too, gives one leaf per element; objects and empty arrays give none. So an
 *   object-valued field does not exist for `exists`, and anything-but on an array matches if any element
 *   is not excluded.
 * - The pattern is flattened into conditions on paths ($or makes alternatives). It matches if every
 *   condition is met by a leaf, all of them from the same element of any array they share, and no leaf
 *   (consistent with those elements) sits at an `exists: false` path. Conditions are taken in path order,
 *   as event-ruler does: an `exists: false` sees only the elements the conditions before it chose.
 * Unlike event-ruler, a field named "a.b" is not the nested field a → b: the docs ask for the same
 * nesting structure. Operators: exact values, prefix, suffix (both also with equals-ignore-case),
 * equals-ignore-case, wildcard, anything-but (values; prefix, suffix, equals-ignore-case, wildcard),
 * numeric, exists, $or. Anything else (cidr) is refused with an error rather than guessed.
 */
export type EventPattern = { [field: string]: EventPattern | PatternValue[] };
type PatternValue = string | number | boolean | null | Record<string, unknown>;

type Value = string | number | boolean | null;
type ValueTest = (value: Value) => boolean;
/** `exists: false`: met by the absence of a leaf, not by a value. */
const ABSENT = Symbol('exists: false');
type Matcher = ValueTest | typeof ABSENT;
type Condition = { order: string; key: string; matchers: Matcher[] };
/** Which element of each array (by the array's number in the event) a leaf sits in. */
type Elements = ReadonlyMap<number, number>;
type Leaf = { value: Value; elements: Elements };

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  const leaves = leavesOf(event);
  return alternativesOf(pattern, []).some((conditions) =>
    satisfies(conditions.sort(byPathOrder), leaves, new Map()),
  );
}

/** event-ruler's order: dotted paths, compared as Java compares strings (by UTF-16 code unit, as JS does). */
function byPathOrder(a: Condition, b: Condition): number {
  return a.order < b.order ? -1 : a.order > b.order ? 1 : 0;
}

function satisfies(conditions: Condition[], leaves: Map<string, Leaf[]>, chosen: Elements): boolean {
  const [condition, ...rest] = conditions;
  if (!condition) return true;
  const candidates = (leaves.get(condition.key) ?? []).filter((leaf) => consistent(leaf.elements, chosen));
  return condition.matchers.some((matcher) =>
    matcher === ABSENT
      ? candidates.length === 0 && satisfies(rest, leaves, chosen)
      : candidates.some(
          (leaf) => matcher(leaf.value) && satisfies(rest, leaves, new Map([...chosen, ...leaf.elements])),
        ),
  );
}

function consistent(elements: Elements, chosen: Elements): boolean {
  for (const [array, index] of elements) if ((chosen.get(array) ?? index) !== index) return false;
  return true;
}

function leavesOf(event: unknown): Map<string, Leaf[]> {
  const leaves = new Map<string, Leaf[]>();
  let arrays = 0;
  const visit = (node: unknown, path: string[], elements: Elements): void => {
    if (Array.isArray(node)) {
      const array = arrays++;
      for (const [index, element] of node.entries())
        visit(element, path, new Map(elements).set(array, index));
    } else if (isObject(node)) {
      for (const [field, value] of Object.entries(node)) visit(value, [...path, field], elements);
    } else if (path.length > 0 && isValue(node)) {
      const key = JSON.stringify(path);
      leaves.set(key, [...(leaves.get(key) ?? []), { value: node, elements }]);
    }
  };
  visit(event, [], new Map());
  return leaves;
}

/** The pattern as alternatives (one per combination of $or branches), each a list of conditions. */
function alternativesOf(pattern: unknown, path: string[]): Condition[][] {
  if (!isObject(pattern)) {
    const at = path.length > 0 ? path.join('.') : 'the top';
    throw new Error(
      `Event pattern at ${at} must be an object or a list of values: ${JSON.stringify(pattern)}`,
    );
  }
  let alternatives: Condition[][] = [[]];
  for (const [field, expected] of Object.entries(pattern)) {
    const options =
      field === '$or' ? orBranches(expected, path) : fieldConditions(expected, [...path, field]);
    alternatives = alternatives.flatMap((conditions) => options.map((option) => [...conditions, ...option]));
  }
  return alternatives;
}

function orBranches(branches: unknown, path: string[]): Condition[][] {
  if (!Array.isArray(branches) || branches.length === 0) {
    throw new Error(`$or takes a list of patterns, not ${JSON.stringify(branches)}`);
  }
  return branches.flatMap((branch) => alternativesOf(branch, path));
}

function fieldConditions(expected: unknown, path: string[]): Condition[][] {
  if (!Array.isArray(expected)) return alternativesOf(expected, path);
  if (expected.length === 0)
    throw new Error(`Empty list of values at ${path.join('.')} (EventBridge rejects it)`);
  return [[{ order: path.join('.'), key: JSON.stringify(path), matchers: expected.map(matcherOf) }]];
}

function matcherOf(entry: unknown): Matcher {
  if (isValue(entry)) return (value) => value === entry;
  const [operator, operand] = singleOperator(entry);
  switch (operator) {
    case 'exists':
      if (typeof operand !== 'boolean') throw invalid(entry);
      return operand ? () => true : ABSENT;
    case 'numeric':
      return numericTest(operand, entry);
    case 'anything-but': {
      const excluded = excludedBy(operand, entry);
      return (value) => !excluded(value);
    }
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      // prefix and suffix also come as { "equals-ignore-case": text }
      if (isObject(operand) && (operator === 'prefix' || operator === 'suffix')) {
        const [variant, text] = singleOperator(operand);
        if (variant !== 'equals-ignore-case') throw invalid(entry);
        return stringTest(textTest(operator, text, entry, true));
      }
      return stringTest(textTest(operator, operand, entry));
    default:
      throw unsupported(entry);
  }
}

/** What anything-but excludes: plain values (all strings or all numbers), or strings by one text operator. */
function excludedBy(operand: unknown, entry: unknown): ValueTest {
  if (isObject(operand)) {
    const [operator, texts] = singleOperator(operand);
    const list = Array.isArray(texts) ? texts : [texts];
    if (list.length === 0) throw invalid(entry);
    const tests = list.map((text) => textTest(operator, text, entry));
    return stringTest((text) => tests.some((test) => test(text)));
  }
  const values = Array.isArray(operand) ? operand : [operand];
  const allOf = (type: string) => values.every((value) => typeof value === type);
  if (values.length === 0 || !(allOf('string') || allOf('number'))) throw invalid(entry);
  return (value) => values.includes(value);
}

function textTest(
  operator: string,
  operand: unknown,
  entry: unknown,
  ignoreCase = operator === 'equals-ignore-case',
): (text: string) => boolean {
  if (typeof operand !== 'string') throw invalid(entry);
  const fold = (text: string) => (ignoreCase ? text.toLowerCase() : text);
  const expected = fold(operand);
  switch (operator) {
    case 'prefix':
      return (text) => fold(text).startsWith(expected);
    case 'suffix':
      return (text) => fold(text).endsWith(expected);
    case 'equals-ignore-case':
      return (text) => fold(text) === expected;
    case 'wildcard': {
      const regex = wildcardRegex(operand);
      return (text) => regex.test(text);
    }
    default:
      throw unsupported(entry);
  }
}

/** `*` is any run of characters; `\*` and `\\` are a literal asterisk and backslash; nothing else may follow `\`. */
function wildcardRegex(wildcard: string): RegExp {
  let source = '';
  let previous = '';
  // Tokens: an escape (a backslash and what follows it), a wildcard, or a run of plain characters.
  for (const token of wildcard.match(/\\.?|\*|[^\\*]+/gs) ?? []) {
    if (token === '*') {
      if (previous === '*') throw new Error(`Consecutive wildcard characters in ${JSON.stringify(wildcard)}`);
      source += '.*';
    } else if (token.startsWith('\\')) {
      if (token !== '\\*' && token !== '\\\\')
        throw new Error(`Invalid escape character in ${JSON.stringify(wildcard)}`);
      source += token;
    } else {
      source += token.replace(/[.+?^${}()|[\]]/g, '\\$&');
    }
    previous = token;
  }
  return new RegExp(`^${source}$`, 's');
}

const COMPARISONS = new Map<unknown, (value: number, bound: number) => boolean>([
  ['=', (value, bound) => value === bound],
  ['>', (value, bound) => value > bound],
  ['>=', (value, bound) => value >= bound],
  ['<', (value, bound) => value < bound],
  ['<=', (value, bound) => value <= bound],
]);

function numericTest(conditions: unknown, entry: unknown): ValueTest {
  if (!Array.isArray(conditions) || conditions.length === 0 || conditions.length % 2 !== 0)
    throw invalid(entry);
  const checks = conditions.flatMap((operator, index) => {
    if (index % 2 === 1) return [];
    const compare = COMPARISONS.get(operator);
    const bound = conditions[index + 1];
    if (!compare || typeof bound !== 'number') throw invalid(entry);
    return [(value: number) => compare(value, bound)];
  });
  return (value) => typeof value === 'number' && checks.every((check) => check(value));
}

function stringTest(test: (text: string) => boolean): ValueTest {
  return (value) => typeof value === 'string' && test(value);
}

function singleOperator(entry: unknown): [string, unknown] {
  const entries = isObject(entry) ? Object.entries(entry) : [];
  const [only] = entries;
  if (entries.length !== 1 || !only) throw invalid(entry);
  return only;
}

function unsupported(entry: unknown): Error {
  return new Error(`Unsupported event-pattern operator: ${JSON.stringify(entry)}`);
}

function invalid(entry: unknown): Error {
  return new Error(`Invalid event-pattern matcher: ${JSON.stringify(entry)}`);
}

function isValue(value: unknown): value is Value {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
