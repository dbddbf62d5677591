/** A value the test's own fixture guarantees (an index into a fixed list): fails loudly instead of asserting `!`. */
export function defined<T>(value: T | undefined, what = 'value'): T {
  if (value === undefined) throw new Error(`test fixture: ${what} is undefined`);
  return value;
}
