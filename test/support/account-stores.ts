import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAccountDeletionStore } from '../../lambdas/adapters/dynamo/account-deletion-store';
import { DynamoCredentialStore } from '../../lambdas/adapters/dynamo/credential-store';
import { DynamoPasswordResetStore } from '../../lambdas/adapters/dynamo/password-reset-store';
import { DynamoSessionStore } from '../../lambdas/adapters/dynamo/session-store';
import { DynamoSingleUseTokenStore } from '../../lambdas/adapters/dynamo/single-use-token-store';

/** The narrow account stores on one table, as lambdas/runtime wires them: a test takes the ones its subject uses. */
export function accountStores(db: DynamoDBDocumentClient, tableName: string) {
  const tokens = new DynamoSingleUseTokenStore(db, tableName);
  return {
    credentials: new DynamoCredentialStore(db, tableName),
    sessions: new DynamoSessionStore(db, tableName),
    deletion: new DynamoAccountDeletionStore(db, tableName),
    resets: new DynamoPasswordResetStore(db, tableName, tokens),
    tokens,
  };
}

export type AccountStores = ReturnType<typeof accountStores>;
