import { DeleteCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PasskeyChallenge, PasskeyChallengeStore } from '../../core/factors/ports';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';

/** WebAuthn challenges, one item each, kept until their TTL and taken back by exactly one conditional delete. */
export class DynamoPasskeyChallengeStore implements PasskeyChallengeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(challenge: PasskeyChallenge): Promise<void> {
    await guarded(() =>
      this.db.send(
        new PutCommand({ TableName: this.tableName, Item: { ...itemKeys.passkeyChallenge(challenge.challengeId), type: 'passkey-challenge', ...challenge } }),
      ),
    );
  }

  async consume(challengeId: string, now: number): Promise<PasskeyChallenge | undefined> {
    try {
      const { Attributes } = await guarded(() =>
        this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: itemKeys.passkeyChallenge(challengeId),
            // TTL deletion lags: an expired challenge may still be there, and is refused (and left to the TTL).
            ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
            ExpressionAttributeValues: { ':now': now },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      if (!Attributes) return undefined;
      return {
        challengeId: Attributes.challengeId as string,
        challenge: Attributes.challenge as string,
        purpose: Attributes.purpose as PasskeyChallenge['purpose'],
        ...(typeof Attributes.userId === 'string' ? { userId: Attributes.userId } : {}),
        expiresAt: Attributes.expiresAt as number,
      };
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }
}
