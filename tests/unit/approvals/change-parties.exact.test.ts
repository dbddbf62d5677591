import { describe, expect, it } from 'vitest';
import {
  commitSourceOf,
  commitSourcesOf,
  starterOf,
} from '../../../functions/approvals/domain/change-parties';

const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const OTHER = 'b2c3d4e5f60718293a4b5c6d7e8f901234567890';
const GITHUB = `https://github.com/acme/web/commit/${SHA}`;

describe('commit sources: exactly which revisions are commits', () => {
  it.each([
    ['a revision id that only ends like a commit', `release/${SHA}`],
    ['a revision id that only starts like a commit', `${SHA}-dirty`],
    ['a revision id that is no commit at all', 'Q3c1s.v2K_x8aZ0'],
  ])('reads no commit from %s, even with a github.com URL', (_case, revisionId) => {
    expect(commitSourceOf({ actionName: 'Source', revisionId, url: GITHUB })).toBeUndefined();
    expect(commitSourcesOf({ sourceRevisions: [{ actionName: 'Source', revisionId, url: GITHUB }] })).toEqual(
      {
        sources: [],
        unreadable: [],
      },
    );
  });

  it.each([
    ['a github.com URL without the repository', 'https://github.com/acme'],
    [
      'a CodeStar redirect without the repository',
      `https://example.com/redirect?FullRepositoryId=acme&Commit=${SHA}`,
    ],
    ['a URL that names no repository', 'https://s3.amazonaws.com/bucket/key'],
    ['something that is not a URL', 'not a url'],
  ])('reads no repository from %s', (_case, url) => {
    expect(commitSourceOf({ actionName: 'Source', revisionId: SHA, url })).toBeUndefined();
  });

  it("falls back on the trigger's repository when the URL is not one", () => {
    expect(
      commitSourceOf(
        { actionName: 'Source', revisionId: SHA, url: 'not a url' },
        { commitId: SHA, repository: 'acme/web' },
      ),
    ).toEqual({ kind: 'github', owner: 'acme', repo: 'web', commitId: SHA });
  });

  it.each([
    [
      'a CodeCommit repository name',
      'web-app.v2_x',
      { kind: 'codecommit', repository: 'web-app.v2_x', commitId: SHA },
    ],
    ['a name with a space', 'web app', undefined],
    ['a path deeper than owner/repo', 'acme/web/extra', undefined],
    ['an owner without a repository', 'acme/', undefined],
  ])("reads the trigger's repository given as %s", (_case, repository, expected) => {
    expect(commitSourceOf({ actionName: 'Source', revisionId: SHA }, { commitId: SHA, repository })).toEqual(
      expected,
    );
  });

  it('keeps every distinct commit, and names as unreadable only commits without a repository', () => {
    expect(
      commitSourcesOf({
        sourceRevisions: [
          { actionName: 'Web', revisionId: SHA, url: GITHUB },
          { actionName: 'Api', revisionId: OTHER, url: `https://github.com/acme/api/commit/${OTHER}` },
          { actionName: 'Again', revisionId: OTHER, url: `https://github.com/acme/api/commit/${OTHER}` },
          { actionName: 'NoUrl', revisionId: 'c3d4e5f607182930' },
        ],
      }),
    ).toEqual({
      sources: [
        { kind: 'github', owner: 'acme', repo: 'web', commitId: SHA },
        { kind: 'github', owner: 'acme', repo: 'api', commitId: OTHER },
      ],
      unreadable: ['c3d4e5f607182930'],
    });
    expect(commitSourcesOf({})).toEqual({ sources: [], unreadable: [] });
  });
});

describe('the starter, exactly', () => {
  it('trims the recorded principal', () => {
    expect(
      starterOf({ type: 'StartPipelineExecution', detail: '  arn:aws:iam::111122223333:user/bob \n' }),
    ).toEqual({ principal: 'arn:aws:iam::111122223333:user/bob', name: 'bob' });
  });

  it('reads a principal of another AWS partition', () => {
    const detail = 'arn:aws-us-gov:iam::111122223333:user/bob';
    expect(starterOf({ type: 'StartPipelineExecution', detail })).toEqual({ principal: detail, name: 'bob' });
  });

  it.each([
    ['a trigger without detail', { type: 'StartPipelineExecution' }],
    ['an ARN after other text', { detail: 'by arn:aws:iam::111122223333:user/bob' }],
    ['an ARN followed by another line', { detail: 'arn:aws:iam::111122223333:user/bob\nand more' }],
  ])('is nobody for %s', (_case, trigger) => {
    expect(starterOf(trigger)).toBeUndefined();
  });
});
