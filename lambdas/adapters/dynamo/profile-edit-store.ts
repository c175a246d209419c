import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ProfileEditStore } from '../../core/account-self-service';
import type { UserProfile } from '../../core/ports';
import { profileFromItem } from './account-items';
import { guarded, isConditionalFailure } from './client';
import { itemKeys } from './table-design';

/** The user's own edits of their profile item (names, extra fields): one conditional update that returns the item as it now is. */
export class DynamoProfileEditStore implements ProfileEditStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async updateOwnProfile(
    userId: string,
    change: { firstName: string; lastName: string; profileFields?: Record<string, string | number | boolean> },
  ): Promise<UserProfile | undefined> {
    try {
      const { Attributes } = await guarded(() =>
        this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: itemKeys.profile(userId),
            UpdateExpression: 'SET firstName = :first, lastName = :last, profileFields = :fields',
            // A deleted account stays deleted: the update never writes a profile back.
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':first': change.firstName, ':last': change.lastName, ':fields': change.profileFields ?? {} },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return Attributes ? profileFromItem(Attributes) : undefined;
    } catch (error) {
      if (isConditionalFailure(error)) return undefined;
      throw error;
    }
  }
}
