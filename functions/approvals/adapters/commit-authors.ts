import { CodeCommitClient, GetCommitCommand } from '@aws-sdk/client-codecommit';
import type { CommitSource } from '#approvals/domain/change-parties';
import type { CommitAuthors } from '#approvals/ports';
import type { AwsClientFactory } from '#platform/aws-clients';
import { BOUNDED_READ_CLIENT } from './bounded-read-client';

const GITHUB_TIMEOUT_MS = 5_000;
export const GITHUB_API_URL = 'https://api.github.com';

export interface CommitAuthorsOptions {
  clients: AwsClientFactory;
  /** The GitHub token (Secrets Manager); absent: GitHub commits are not read and their authors stay unknown. */
  gitHubToken?: () => Promise<string>;
  gitHubApiUrl?: string;
}

/**
 * Commit authors from where the commits live: CodeCommit's GetCommit in the pipeline's own account and region
 * (another account's through its spoke role), GitHub's REST API (GET /repos/{owner}/{repo}/commits/{sha}).
 */
export function createCommitAuthors(options: CommitAuthorsOptions): CommitAuthors {
  return {
    async authorEmail(source, place) {
      return source.kind === 'codecommit'
        ? codeCommitAuthor(options.clients, source, place)
        : gitHubAuthor(options, source);
    },
  };
}

async function codeCommitAuthor(
  clients: AwsClientFactory,
  source: Extract<CommitSource, { kind: 'codecommit' }>,
  place: { account?: string; region?: string },
): Promise<string> {
  const client = clients.client(CodeCommitClient, { ...place, overrides: BOUNDED_READ_CLIENT });
  const { commit } = await client.send(
    new GetCommitCommand({ repositoryName: source.repository, commitId: source.commitId }),
  );
  const email = commit?.author?.email;
  if (!email) throw new Error(`CodeCommit commit ${source.commitId} names no author e-mail`);
  return email;
}

async function gitHubAuthor(
  options: CommitAuthorsOptions,
  source: Extract<CommitSource, { kind: 'github' }>,
): Promise<string> {
  if (!options.gitHubToken) throw new Error('no GitHub token is configured (GitHubTokenSecretArn)');
  const base = (options.gitHubApiUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
  const path = [source.owner, source.repo].map(encodeURIComponent).join('/');
  const response = await fetch(`${base}/repos/${path}/commits/${encodeURIComponent(source.commitId)}`, {
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${await options.gitHubToken()}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'pipeline-control-plane',
    },
    signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
  });
  // The status only: GitHub's error bodies may echo the request.
  if (!response.ok) throw new Error(`GitHub answered ${response.status} for commit ${source.commitId}`);
  const body = (await response.json()) as { commit?: { author?: { email?: unknown } } };
  const email = body.commit?.author?.email;
  if (typeof email !== 'string' || !email)
    throw new Error(`GitHub commit ${source.commitId} names no author e-mail`);
  return email;
}
