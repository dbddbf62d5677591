/** A schema issue as zod (classic or mini) reports it; hand-written schemas need only path and message. */
export interface SchemaIssue {
  readonly path: readonly PropertyKey[];
  readonly code?: string;
  readonly message: string;
  readonly expected?: unknown;
  readonly values?: readonly unknown[];
  readonly format?: string;
}

/**
 * Turns schema issues into one line that names each bad field and what was expected. zod/mini ships no
 * error messages (that is most of its size saving), so the text is built from the issue codes here.
 */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || '(root)'}: ${explain(issue)}`)
    .join('; ');
}

function explain(issue: SchemaIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_format':
      return `expected a ${issue.format ?? 'valid'} string`;
    case 'invalid_union':
      return 'matches none of the accepted shapes';
    case 'too_small':
    case 'too_big':
      return issue.message === 'Invalid input' ? 'out of range' : issue.message;
    default:
      return issue.message;
  }
}
