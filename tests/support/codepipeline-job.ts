import type { CodePipelineJobEvent } from '@pipeline-control-plane/action-runtime';

/** A real-shaped `CodePipeline.job` event (CodePipeline user guide, action-reference-Lambda.md). */
export function codePipelineJobEvent(
  userParameters: string | undefined,
  data: Partial<CodePipelineJobEvent['CodePipeline.job']['data']> = {},
): CodePipelineJobEvent {
  return {
    'CodePipeline.job': {
      id: '11111111-abcd-1111-abcd-111111abcdef',
      accountId: '111111111111',
      data: {
        actionConfiguration: {
          configuration: {
            FunctionName: 'pipeline-control-plane-action',
            ...(userParameters !== undefined && { UserParameters: userParameters }),
          },
        },
        inputArtifacts: [
          {
            name: 'BuildOutput',
            revision: null,
            location: {
              type: 'S3',
              s3Location: { bucketName: 'artifact-bucket', objectKey: 'app/BuildOutput/abc.zip' },
            },
          },
        ],
        outputArtifacts: [],
        artifactCredentials: {
          accessKeyId: 'ASIAEXAMPLEARTIFACT',
          secretAccessKey: 'artifact-secret',
          sessionToken: 'artifact-session',
          expirationTime: 1575493418000,
        },
        ...data,
      },
    },
  };
}

export const silentLogger = { info: () => {}, warn: () => {}, error: () => {} };

export function lambdaContext(remainingMs = 30_000) {
  const start = Date.now();
  return { getRemainingTimeInMillis: () => remainingMs - (Date.now() - start) };
}
