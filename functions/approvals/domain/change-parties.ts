import type { ExecutionRecord, SourceRevision, TriggerInfo } from '#history/domain/execution-record';

/** Where a source commit can be read, from what the history recorded of it. */
export type CommitSource =
  | { kind: 'codecommit'; repository: string; commitId: string }
  | { kind: 'github'; owner: string; repo: string; commitId: string };

/** The author of one source commit, as far as it is known. */
export interface ChangeAuthor {
  commitId: string;
  /** The commit's author e-mail; absent when the commit could not be read. */
  email?: string;
  /** Why the author is not known, when `email` is absent. */
  unknownBecause?: string;
}

/** The person who started the execution: an IAM principal (StartPipelineExecution, a retry). */
export interface ChangeStarter {
  principal: string;
  /** The IAM user name or role session name in the ARN: often the person's login or e-mail. */
  name?: string;
}

/** Who made and who started the change waiting at an approval. */
export interface ChangeParties {
  /** Absent when no person started the execution (a source change, a schedule) or nothing says who did. */
  starter?: ChangeStarter;
  /** How the execution started (its trigger type), for the message when no person started it. */
  trigger?: string;
  authors: ChangeAuthor[];
}

const SHA = /^[0-9a-f]{7,64}$/i;

/**
 * The commit behind one recorded source revision: the revision URL names the repository (github.com commit
 * pages, CodeStar connection redirects, CodeCommit console pages); a trigger's repository stands in for a
 * revision recorded without a URL. Anything else (an S3 object version, an ECR digest) has no author.
 */
export function commitSourceOf(revision: SourceRevision, trigger?: TriggerInfo): CommitSource | undefined {
  const commitId = revision.revisionId;
  if (!commitId || !SHA.test(commitId)) return undefined;
  const fromUrl = revision.url ? commitSourceFromUrl(revision.url, commitId) : undefined;
  if (fromUrl) return fromUrl;
  const repository = trigger?.commitId === commitId ? trigger.repository : undefined;
  if (!repository) return undefined;
  const [owner, repo, ...rest] = repository.split('/');
  if (owner && repo && rest.length === 0) return { kind: 'github', owner, repo, commitId };
  return /^[\w.-]+$/.test(repository) ? { kind: 'codecommit', repository, commitId } : undefined;
}

function commitSourceFromUrl(url: string, commitId: string): CommitSource | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.hostname === 'github.com') {
    const [owner, repo] = parsed.pathname.split('/').filter(Boolean);
    return owner && repo ? { kind: 'github', owner, repo, commitId } : undefined;
  }
  const fullRepositoryId = parsed.searchParams.get('FullRepositoryId');
  if (fullRepositoryId) {
    const [owner, repo] = fullRepositoryId.split('/');
    return owner && repo ? { kind: 'github', owner, repo, commitId } : undefined;
  }
  // The console's CodeCommit pages, old (#/repository/<name>/commit/<id>) and new (/repositories/<name>/commit/<id>).
  const codeCommit = `${parsed.pathname}${parsed.hash}`.match(
    /codecommit\/.*repositor(?:y|ies)\/([\w.-]+)\/commit\//,
  );
  return codeCommit?.[1] ? { kind: 'codecommit', repository: codeCommit[1], commitId } : undefined;
}

/** Every distinct commit of the execution's source revisions. */
export function commitSourcesOf(execution: Pick<ExecutionRecord, 'sourceRevisions' | 'trigger'>): {
  sources: CommitSource[];
  /** Commits whose repository nothing recorded: their authors cannot be read. */
  unreadable: string[];
} {
  const sources: CommitSource[] = [];
  const unreadable: string[] = [];
  for (const revision of execution.sourceRevisions ?? []) {
    const source = commitSourceOf(revision, execution.trigger);
    if (source && !sources.some((s) => s.commitId === source.commitId)) sources.push(source);
    else if (!source && revision.revisionId && SHA.test(revision.revisionId))
      unreadable.push(revision.revisionId);
  }
  return { sources, unreadable };
}

// CodePipeline records the caller's ARN as the trigger detail of a manual start (StartPipelineExecution) or retry.
const PRINCIPAL_ARN =
  /^arn:aws[a-z-]*:(?:iam|sts)::[0-9]{12}:(?:user|assumed-role|role|federated-user)\/(.+)$/;

/** The person who started the execution, when its trigger names an IAM principal. */
export function starterOf(trigger: TriggerInfo | undefined): ChangeStarter | undefined {
  const principal = trigger?.detail?.trim();
  const match = principal?.match(PRINCIPAL_ARN);
  if (!principal || !match?.[1]) return undefined;
  // user/path/alice → alice; assumed-role/Role/session → session.
  const name = match[1].split('/').pop();
  return { principal, ...(name ? { name } : {}) };
}
