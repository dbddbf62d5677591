import * as z from 'zod/mini';

/**
 * The `CodePipeline.job` event a Lambda invoke action receives (CodePipeline user guide,
 * action-reference-Lambda.md). Own schema because @types/aws-lambda types UserParameters as required
 * and lacks `expirationTime`. The event carries temporary artifact credentials: never log it raw.
 */
const s3Artifact = z.object({
  name: z.string(),
  revision: z.optional(z.nullable(z.string())),
  location: z.object({
    type: z.string(),
    s3Location: z.object({ bucketName: z.string(), objectKey: z.string() }),
  }),
});

export const codePipelineJobEvent = z.object({
  'CodePipeline.job': z.object({
    id: z.string().check(z.minLength(1)),
    accountId: z.optional(z.string()),
    data: z.object({
      actionConfiguration: z.optional(
        z.object({
          configuration: z.optional(
            z.object({ FunctionName: z.optional(z.string()), UserParameters: z.optional(z.string()) }),
          ),
        }),
      ),
      inputArtifacts: z._default(z.array(s3Artifact), []),
      outputArtifacts: z._default(z.array(s3Artifact), []),
      artifactCredentials: z.optional(
        z.object({
          accessKeyId: z.string(),
          secretAccessKey: z.string(),
          sessionToken: z.string(),
          expirationTime: z.optional(z.number()),
        }),
      ),
      continuationToken: z.optional(z.string()),
      encryptionKey: z.optional(z.object({ id: z.string(), type: z.string() })),
    }),
  }),
});

export type CodePipelineJobEvent = z.infer<typeof codePipelineJobEvent>;
export type CodePipelineJob = CodePipelineJobEvent['CodePipeline.job'];
export type S3Artifact = z.infer<typeof s3Artifact>;
export type ArtifactCredentials = NonNullable<CodePipelineJob['data']['artifactCredentials']>;

/** The job id if the event has one at all: without it nothing can be reported. */
export function jobIdOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const job = (event as Record<string, unknown>)['CodePipeline.job'];
  if (typeof job !== 'object' || job === null) return undefined;
  const id = (job as Record<string, unknown>).id;
  return typeof id === 'string' && id.length > 0 ? id : undefined;
}
