import { MAX_CI_PIPELINE_NAME_LENGTH } from '#events/ci-pipelines';

/**
 * Where a CI pipeline's history lives. Keys are account + region + name everywhere; a CI system has neither,
 * so the two fields name the system honestly instead of pretending to be AWS: `github` + the GitHub host
 * (github.com, or an Enterprise Server's), and `ci` + the system the sender names (`jenkins`, `gitlab`…).
 * Neither is a 12-digit account, so nothing ever tries to reach them through AWS (the reconciler skips them).
 */
export interface CiScope {
  account: string;
  region: string;
}

export const GITHUB_ACCOUNT = 'github';
export const GENERIC_CI_ACCOUNT = 'ci';

/** The scope of a repository's workflows: `github` and the host of its web address. */
export function githubScope(repositoryUrl: string): CiScope {
  return { account: GITHUB_ACCOUNT, region: new URL(repositoryUrl).host.toLowerCase() };
}

/** `github:<owner>/<repo>:<workflow>`, the workflow's name clipped so the whole stays within bounds. */
export function githubPipeline(repository: string, workflow: string): string {
  return withinBounds(`github:${repository}:`, workflow);
}

export function genericCiScope(system: string): CiScope {
  return { account: GENERIC_CI_ACCOUNT, region: system };
}

/** `ci:<system>/<pipeline>`. */
export function genericCiPipeline(system: string, pipeline: string): string {
  return withinBounds(`ci:${system}/`, pipeline);
}

function withinBounds(prefix: string, name: string): string {
  return `${prefix}${name}`.slice(0, MAX_CI_PIPELINE_NAME_LENGTH);
}
