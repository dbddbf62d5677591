/**
 * Text for any value an action returns or throws, without ever throwing: a null-prototype object has no
 * toString, a Proxy may throw from every trap, a getter or toString may throw, a symbol refuses to be put in
 * a template literal. A report built from a throwing description would leave the job unreported.
 */
export function describeValue(value: unknown): string {
  return attempt(() => describe(value)) ?? `a value of type ${typeof value} that cannot be described`;
}

/** `Name: message` for an error (by shape too: errors from another realm or copy), text for the rest. */
export function describeThrown(thrown: unknown): string {
  const error = attempt(() => (looksLikeError(thrown) ? thrown : undefined));
  if (error) {
    const name = attempt(() => error.name);
    const message = attempt(() => error.message);
    if (typeof name === 'string' && typeof message === 'string') return `${name}: ${message}`;
  }
  return describeValue(thrown);
}

function describe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
    case 'symbol':
      return String(value);
    case 'function':
      return `function ${attempt(() => value.name) || '(anonymous)'}`;
    default:
      return describeObject(value as object | null);
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  // An object's own toString says what it means (a URL, a Date, an Error); the default one says nothing.
  const own = attempt(() => (value as { toString?: unknown }).toString);
  if (typeof own === 'function' && own !== Object.prototype.toString) {
    const text = attempt(() => own.call(value));
    if (typeof text === 'string') return text;
  }
  const json = attempt(() => JSON.stringify(value));
  if (typeof json === 'string') return json;
  const tag = attempt(() => Object.prototype.toString.call(value));
  return typeof tag === 'string' ? tag : 'an object that cannot be described';
}

function looksLikeError(value: unknown): value is { name: unknown; message: unknown } {
  return (
    value instanceof Error ||
    (typeof value === 'object' && value !== null && 'message' in value && 'name' in value)
  );
}

function attempt<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
