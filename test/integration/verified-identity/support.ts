import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';

/** Removes an attribute from a profile, as an account created before it existed would lack it. */
export async function removeProfileAttribute(stack: { dynamoDbEndpoint: string; tableName: string }, userId: string, attribute: string): Promise<void> {
  const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  await db.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: itemKeys.profile(userId),
      UpdateExpression: 'REMOVE #attribute',
      ExpressionAttributeNames: { '#attribute': attribute },
    }),
  );
}
