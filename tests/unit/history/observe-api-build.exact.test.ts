import { describe, expect, it } from 'vitest';
import type { BuildReport } from '../../../functions/history/domain/api-reads';
import { observeBuildInfo } from '../../../functions/history/domain/observe-api-build';

// A BatchGetBuilds answer for a build a pipeline started; times with milliseconds, as the API gives them.
const build: BuildReport = {
  id: 'web-build:7e1c0a2b-4d5e-4f60-8a91-b2c3d4e5f607',
  batch: false,
  status: 'SUCCEEDED',
  projectName: 'web-build',
  initiator: 'codepipeline/web-app',
  startTime: new Date('2026-11-24T10:00:01.250Z'),
  endTime: new Date('2026-11-24T10:04:00.731Z'),
};
const STARTED_AT = '2026-11-24T10:00:01.000Z';
const ENDED_AT = '2026-11-24T10:04:00.000Z';

const observation = (status: string, at: string, attributes: Record<string, string>) => ({
  kind: 'build',
  runId: build.id,
  at,
  status: { status, statusAt: at, attempt: 1 },
  attributes,
});

describe('observeBuildInfo: exact observations', () => {
  it.each([
    ['IN_PROGRESS', STARTED_AT],
    ['SUCCEEDED', ENDED_AT],
    ['FAILED', ENDED_AT],
    ['FAULT', ENDED_AT],
    ['STOPPED', ENDED_AT],
    ['TIMED_OUT', ENDED_AT],
  ])('a build %s is observed at %s (its end once terminal, else its start)', (status, at) => {
    expect(observeBuildInfo({ ...build, status })).toEqual(
      observation(status, at, { project: 'web-build', initiator: 'codepipeline/web-app' }),
    );
  });

  it('marks a batch build, and leaves out an initiator the API does not give', () => {
    expect(observeBuildInfo({ ...build, batch: true, initiator: undefined })).toEqual(
      observation('SUCCEEDED', ENDED_AT, { project: 'web-build', batch: 'true' }),
    );
    expect(observeBuildInfo({ ...build, initiator: '' })).toEqual(
      observation('SUCCEEDED', ENDED_AT, { project: 'web-build' }),
    );
  });

  it('needs no end time while the build runs, and no start time once it ended', () => {
    expect(observeBuildInfo({ ...build, status: 'IN_PROGRESS', endTime: undefined })).toEqual(
      observation('IN_PROGRESS', STARTED_AT, { project: 'web-build', initiator: 'codepipeline/web-app' }),
    );
    expect(observeBuildInfo({ ...build, startTime: undefined })).toEqual(
      observation('SUCCEEDED', ENDED_AT, { project: 'web-build', initiator: 'codepipeline/web-app' }),
    );
  });

  it.each<[string, BuildReport]>([
    ['a status CodeBuild sends no event for', { ...build, status: 'PENDING' }],
    ['a status in the wrong case', { ...build, status: 'succeeded' }],
    ['no status', { ...build, status: undefined }],
    ['an empty status', { ...build, status: '' }],
    ['no id', { ...build, id: undefined }],
    ['an empty id', { ...build, id: '' }],
    ['no project', { ...build, projectName: undefined }],
    ['an empty project', { ...build, projectName: '' }],
    ['a terminal build without an end time', { ...build, endTime: undefined }],
    ['a running build without a start time', { ...build, status: 'IN_PROGRESS', startTime: undefined }],
  ])('observes nothing for %s', (_name, report) => {
    expect(observeBuildInfo(report)).toBeUndefined();
  });
});
