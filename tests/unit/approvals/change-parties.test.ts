import { describe, expect, it } from 'vitest';
import {
  commitSourceOf,
  commitSourcesOf,
  starterOf,
} from '../../../functions/approvals/domain/change-parties';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

describe('commit sources', () => {
  it.each([
    [
      'a github.com commit page',
      `https://github.com/acme/web/commit/${SHA}`,
      { kind: 'github', owner: 'acme', repo: 'web' },
    ],
    [
      'a CodeStar connection redirect',
      `https://us-west-2.console.aws.amazon.com/codesuite/settings/connections/redirect?connectionArn=arn%3Aaws%3Acodestar-connections%3Aus-west-2%3A111122223333%3Aconnection%2Fabc&referenceType=COMMIT&FullRepositoryId=acme/web&Commit=${SHA}`,
      { kind: 'github', owner: 'acme', repo: 'web' },
    ],
    [
      'a CodeCommit console page',
      `https://us-east-1.console.aws.amazon.com/codesuite/codecommit/repositories/web-app/commit/${SHA}?region=us-east-1`,
      { kind: 'codecommit', repository: 'web-app' },
    ],
    [
      'an old CodeCommit console page',
      `https://console.aws.amazon.com/codecommit/home?region=us-east-1#/repository/web-app/commit/${SHA}`,
      { kind: 'codecommit', repository: 'web-app' },
    ],
  ])('reads the repository from %s', (_case, url, expected) => {
    expect(commitSourceOf({ actionName: 'Source', revisionId: SHA, url })).toEqual({
      ...expected,
      commitId: SHA,
    });
  });

  it("falls back on the trigger's repository for the same commit", () => {
    const trigger = { commitId: SHA, repository: 'acme/web' };
    expect(commitSourceOf({ actionName: 'Source', revisionId: SHA }, trigger)).toEqual({
      kind: 'github',
      owner: 'acme',
      repo: 'web',
      commitId: SHA,
    });
  });

  it('finds no commit in an S3 object version, and names commits whose repository is unknown', () => {
    expect(
      commitSourcesOf({
        sourceRevisions: [
          { actionName: 'Artifact', revisionId: 'Q3c1s.v2K_x8aZ0', url: 'https://s3.amazonaws.com/b/k' },
          { actionName: 'Source', revisionId: SHA },
          { actionName: 'Same', revisionId: SHA, url: `https://github.com/acme/web/commit/${SHA}` },
          { actionName: 'Again', revisionId: SHA, url: `https://github.com/acme/web/commit/${SHA}` },
        ],
      }),
    ).toEqual({
      sources: [{ kind: 'github', owner: 'acme', repo: 'web', commitId: SHA }],
      unreadable: [SHA],
    });
  });
});

describe('the starter', () => {
  it.each([
    [
      'an SSO session',
      'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Dev_1a2b/carol@example.com',
      'carol@example.com',
    ],
    ['an IAM user with a path', 'arn:aws:iam::111122223333:user/ops/bob', 'bob'],
  ])('is the principal of a manual start: %s', (_case, detail, name) => {
    expect(starterOf({ type: 'StartPipelineExecution', detail })).toEqual({ principal: detail, name });
  });

  it.each([
    [
      'a push',
      { type: 'WebhookV2', detail: 'arn:aws:codestar-connections:us-east-1:111122223333:connection/abc' },
    ],
    ['a schedule', { type: 'CloudWatchEvent', detail: 'arn:aws:events:us-east-1:111122223333:rule/nightly' }],
    ['nothing recorded', undefined],
  ])('is nobody for %s', (_case, trigger) => {
    expect(starterOf(trigger)).toBeUndefined();
  });
});
