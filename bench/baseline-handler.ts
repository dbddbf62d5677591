// The cold-start baseline: an empty handler that imports (and constructs) the same AWS SDK clients the
// control-plane functions use, bundled the same way. The ratio to it is the cost of our own code.
import { CodePipelineClient } from '@aws-sdk/client-codepipeline';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}));
const codePipeline = new CodePipelineClient({});

export const handler = async () => ({ ok: Boolean(documentClient && codePipeline) });
