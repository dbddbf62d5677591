import type { ApprovalRule } from '#approvals/domain/approvals-policy';
import { type ChangeAuthor, commitSourcesOf, starterOf } from '#approvals/domain/change-parties';
import { decideSeparation, type Separation } from '#approvals/domain/separation-of-duties';
import type { CommitAuthors } from '#approvals/ports';
import type { ExecutionRecord } from '#history/domain/execution-record';

/**
 * Who may not approve the execution waiting at this approval, under the rule's separation of duties: the
 * starter from the execution's trigger, the authors from its source commits (read where they live). A commit
 * that cannot be read leaves its author unknown, which the rule's onUnknownAuthor decides; it never stops
 * the request from going out.
 */
export async function separationUnderApproval(
  rule: ApprovalRule,
  execution: ExecutionRecord | undefined,
  place: { account?: string; region?: string },
  deps: { commitAuthors?: CommitAuthors; warn: (message: string, context: Record<string, unknown>) => void },
): Promise<Separation | undefined> {
  if (rule.separationOfDuties === 'none') return undefined;
  const authors = rule.separationOfDuties === 'starter' ? [] : await authorsOf(execution, place, deps);
  const starter = starterOf(execution?.trigger);
  return decideSeparation(rule, {
    authors,
    ...(starter ? { starter } : {}),
    ...(execution?.trigger?.type ? { trigger: execution.trigger.type } : {}),
  });
}

async function authorsOf(
  execution: ExecutionRecord | undefined,
  place: { account?: string; region?: string },
  deps: Parameters<typeof separationUnderApproval>[3],
): Promise<ChangeAuthor[]> {
  if (!execution) return [];
  const { sources, unreadable } = commitSourcesOf(execution);
  // The pipeline's own account and region: a spoke's repository is read through its spoke role.
  const where = { account: execution.account ?? place.account, region: execution.region ?? place.region };
  const read = await Promise.all(
    sources.map(async (source): Promise<ChangeAuthor> => {
      if (!deps.commitAuthors)
        return { commitId: source.commitId, unknownBecause: 'commit authors are not read' };
      try {
        return { commitId: source.commitId, email: await deps.commitAuthors.authorEmail(source, where) };
      } catch (error) {
        const { name, message } = error as Error;
        // AWS names the cause in the error's name (CommitDoesNotExistException, AccessDeniedException).
        const reason = name && name !== 'Error' ? `${name}: ${message}` : message;
        deps.warn('Could not read a commit author', { commitId: source.commitId, kind: source.kind, reason });
        return { commitId: source.commitId, unknownBecause: reason };
      }
    }),
  );
  return [
    ...read,
    ...unreadable.map((commitId) => ({ commitId, unknownBecause: 'its repository is not recorded' })),
  ];
}
