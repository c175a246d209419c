import { BatchWriteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { Environment } from '../../core/portal/ports';
import type { CleanupStore, PendingCleanup } from '../../core/portal/team-cleanup';
import { guarded, isConditionalFailure, queryPartition } from './client';
import { itemKeys } from './table-design';
import { namedTransaction } from './transaction';

type Item = Record<string, unknown>;

/** Clean-up records (`CLEANUPS` partition) and the removal of an emptied team's items. */
export class DynamoCleanupStore implements CleanupStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private query(pk: string): Promise<Item[]> {
    return queryPartition(this.db, this.tableName, pk) as Promise<Item[]>;
  }

  async listPendingCleanups(): Promise<PendingCleanup[]> {
    return (await this.query(itemKeys.cleanupPartition)).map((item) => ({
      teamId: item.teamId as string,
      createdAt: (item.createdAt as number) ?? 0,
      attempts: (item.attempts as number) ?? 0,
    }));
  }

  async recordedCredentials(teamId: string): Promise<{ clientId: string; environment: Environment }[]> {
    return (await this.query(itemKeys.teamPartition(teamId)))
      .filter((item) => String(item.sk).startsWith('CLIENT#'))
      .map((item) => ({ clientId: item.clientId as string, environment: item.environment as Environment }));
  }

  async finishCleanup(teamId: string): Promise<void> {
    const contents = await this.query(itemKeys.teamPartition(teamId));
    for (let index = 0; index < contents.length; index += 25) {
      let requests: Item[] = contents.slice(index, index + 25).map((item) => ({ DeleteRequest: { Key: { pk: item.pk, sk: item.sk } } }));
      for (let attempt = 0; requests.length && attempt < 5; attempt += 1) {
        const result = await guarded(() => this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: requests } })));
        requests = (result.UnprocessedItems?.[this.tableName] ?? []) as Item[];
        if (requests.length) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      }
      if (requests.length) throw new ConflictError('Could not finish removing the team; the clean-up will try again.');
    }
    // The team item and the record go together: the record disappears only when nothing of the team is left.
    await namedTransaction({
      team: { Delete: { TableName: this.tableName, Key: itemKeys.team(teamId) } },
      cleanupRecord: { Delete: { TableName: this.tableName, Key: itemKeys.teamCleanup(teamId) } },
    }).write(this.db);
  }

  async recordFailedAttempt(teamId: string, now: number, reason: string): Promise<void> {
    await guarded(() =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: itemKeys.teamCleanup(teamId),
          UpdateExpression: 'ADD attempts :one SET lastAttemptAt = :now, lastError = :reason',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1, ':now': now, ':reason': reason.slice(0, 100) },
        }),
      ),
    ).catch((error: unknown) => {
      // Finished meanwhile (the record is gone): nothing to count.
      if (isConditionalFailure(error)) return;
      throw error;
    });
  }
}
