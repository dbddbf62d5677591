/**
 * EventBridge event-pattern matching, for routing local events by the rules in template.yaml.
 * No maintained npm library implements it (AWS's own is the Java `event-ruler`), so this covers the
 * documented operators: exact values, prefix, suffix, equals-ignore-case, wildcard, anything-but (value,
 * list, prefix, suffix), numeric ranges, exists, and $or. Semantics per the EventBridge user guide
 * "Event patterns": every field in the pattern must match; a pattern list matches if any entry matches;
 * an array in the event matches if any element matches.
 */
export type EventPattern = { [field: string]: EventPattern | PatternValue[] };
type PatternValue = string | number | boolean | null | Record<string, unknown>;

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    if (field === '$or') {
      return (expected as unknown as EventPattern[]).some((alternative) =>
        matchesPattern(alternative, event),
      );
    }
    const actual = isObject(event) ? event[field] : undefined;
    if (Array.isArray(expected)) return matchesValues(expected, actual);
    // EventBridge flattens arrays of objects (a nested pattern matches if any element matches), and an absent
    // parent leaves every field below it absent (so only `exists: false` leaves can match).
    if (Array.isArray(actual))
      return actual.some((element) => isObject(element) && matchesPattern(expected, element));
    if (actual === undefined) return matchesPattern(expected, {});
    return isObject(actual) && matchesPattern(expected, actual);
  });
}

function matchesValues(expected: PatternValue[], given: unknown): boolean {
  // An empty array is no value at all.
  const actual = Array.isArray(given) && given.length === 0 ? undefined : given;
  // `exists: false` is the only matcher that is satisfied by an absent field.
  if (actual === undefined) return expected.some((matcher) => isObject(matcher) && matcher.exists === false);
  const values = Array.isArray(actual) ? actual : [actual];
  if (isObject(actual)) return false;
  return expected.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) return matcher.exists === true;
    if (isObject(matcher) && 'anything-but' in matcher) {
      return values.every((value) => !matchesOperand(matcher['anything-but'], value));
    }
    return values.some((value) => matchesOperand(matcher, value));
  });
}

function matchesOperand(matcher: unknown, value: unknown): boolean {
  if (Array.isArray(matcher)) return matcher.some((entry) => matchesOperand(entry, value));
  if (!isObject(matcher)) return matcher === value;
  if (typeof matcher.prefix === 'string')
    return typeof value === 'string' && value.startsWith(matcher.prefix);
  if (typeof matcher.suffix === 'string') return typeof value === 'string' && value.endsWith(matcher.suffix);
  if (typeof matcher['equals-ignore-case'] === 'string') {
    return typeof value === 'string' && value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  }
  if (typeof matcher.wildcard === 'string') {
    const regex = new RegExp(`^${matcher.wildcard.split('*').map(escapeRegex).join('.*')}$`);
    return typeof value === 'string' && regex.test(value);
  }
  if (Array.isArray(matcher.numeric))
    return typeof value === 'number' && matchesNumeric(matcher.numeric, value);
  throw new Error(`Unsupported event-pattern operator: ${JSON.stringify(matcher)}`);
}

function matchesNumeric(conditions: unknown[], value: number): boolean {
  for (let index = 0; index < conditions.length; index += 2) {
    const operator = conditions[index];
    const bound = Number(conditions[index + 1]);
    const ok =
      (operator === '=' && value === bound) ||
      (operator === '>' && value > bound) ||
      (operator === '>=' && value >= bound) ||
      (operator === '<' && value < bound) ||
      (operator === '<=' && value <= bound);
    if (!ok) return false;
  }
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
