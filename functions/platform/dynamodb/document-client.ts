import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { awsClient } from '#platform/aws-clients';

let documentClient: DynamoDBDocumentClient | undefined;

/** The shared DocumentClient. AWS_ENDPOINT_URL_DYNAMODB points it at dynalite in tests and local mode. */
export function dynamoDocumentClient(): DynamoDBDocumentClient {
  documentClient ??= DynamoDBDocumentClient.from(awsClient(DynamoDBClient), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return documentClient;
}

/** Forgets the cached client (tests that switch endpoints between files). */
export function resetDynamoDocumentClient(): void {
  documentClient = undefined;
}
