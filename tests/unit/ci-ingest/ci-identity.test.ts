import { describe, expect, it } from 'vitest';
import {
  genericCiPipeline,
  genericCiScope,
  githubPipeline,
  githubScope,
} from '../../../functions/ci-ingest/domain/ci-identity';
import { MAX_CI_PIPELINE_NAME_LENGTH } from '../../../functions/events/ci-pipelines';

describe('CI identities', () => {
  it('scopes a repository by its lower-case host, and a CI system by its name', () => {
    expect(githubScope('https://GitHub.Example.com:8443/acme/shop')).toEqual({
      account: 'github',
      region: 'github.example.com:8443',
    });
    expect(genericCiScope('jenkins')).toEqual({ account: 'ci', region: 'jenkins' });
  });

  it('names pipelines by prefix and name', () => {
    expect(githubPipeline('acme/shop', 'CI')).toBe('github:acme/shop:CI');
    expect(genericCiPipeline('gitlab', 'storefront')).toBe('ci:gitlab/storefront');
  });

  it('clips a long name so the whole is exactly the maximum length', () => {
    expect(MAX_CI_PIPELINE_NAME_LENGTH).toBe(256);
    const long = 'w'.repeat(300);
    const github = githubPipeline('acme/shop', long);
    expect(github).toBe(`github:acme/shop:${'w'.repeat(256 - 'github:acme/shop:'.length)}`);
    expect(github).toHaveLength(256);
    expect(genericCiPipeline('gitlab', long)).toBe(`ci:gitlab/${'w'.repeat(256 - 'ci:gitlab/'.length)}`);
    const fits = 'w'.repeat(256 - 'ci:gitlab/'.length);
    expect(genericCiPipeline('gitlab', fits)).toBe(`ci:gitlab/${fits}`);
  });
});
