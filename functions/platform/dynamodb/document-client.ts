import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AwsClientFactory } from '#platform/aws-clients';

/** A DocumentClient over the factory's DynamoDB client (AWS_ENDPOINT_URL_DYNAMODB points it at a local engine). */
export function documentClient(clients: AwsClientFactory): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(clients.client(DynamoDBClient), {
    marshallOptions: { removeUndefinedValues: true },
  });
}
