import { DeleteCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors';
import type { CredentialRecord, TeamCredentialStore } from '../../core/portal/ports';
import { guarded, queryPartition } from './client';
import { completionUpdate, PortalTable } from './portal-items';
import { itemKeys } from './table-design';
import { namedTransaction, type TransactItem } from './transaction';

/** A team's index of its Auth0 credentials: counted by reservation before Auth0 is asked. */
export class DynamoTeamCredentialStore extends PortalTable implements TeamCredentialStore {
  async reserveCredential(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number, nowSeconds: number): Promise<void> {
    try {
      await this.writeReservation(teamId, reservation, maxPerTeam);
    } catch (error) {
      if (!(error instanceof ConflictError) || !(await this.releaseLapsedReservations(teamId, nowSeconds))) throw error;
      await this.writeReservation(teamId, reservation, maxPerTeam);
    }
  }

  private async writeReservation(teamId: string, reservation: { operationId: string; expiresAt: number }, maxPerTeam: number): Promise<void> {
    const transaction = namedTransaction({
      team: {
        Update: {
          TableName: this.tableName,
          Key: itemKeys.team(teamId),
          UpdateExpression: 'ADD credentialCount :one',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(credentialCount) OR credentialCount < :max)',
          ExpressionAttributeValues: { ':one': 1, ':max': maxPerTeam },
        },
      },
      reservation: {
        Put: {
          TableName: this.tableName,
          Item: { ...itemKeys.credentialReservation(teamId, reservation.operationId), type: 'credential-reservation', teamId, ...reservation },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('team')) {
        const { Item: team } = await guarded(() =>
          this.db.send(new GetCommand({ TableName: this.tableName, Key: itemKeys.team(teamId), ConsistentRead: true })),
        );
        if (!team) throw new ConflictError('Your team no longer exists; reload the portal.', { cause: error });
        throw new ConflictError(
          `Your team already has ${Number(team.credentialCount ?? 0)} credentials, the most a team may hold. Delete one you no longer use first.`,
          { cause: error },
        );
      }
      if (cancelled) throw new ConflictError('The team changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }

  /** Gives back the count of creates that never finished (a function stopped mid-way); true when any was released. */
  private async releaseLapsedReservations(teamId: string, nowSeconds: number): Promise<boolean> {
    const reservations = await queryPartition(this.db, this.tableName, itemKeys.teamPartition(teamId), 'RESERVATION#');
    const lapsed = reservations.filter((item) => Number(item.expiresAt) < nowSeconds);
    for (const item of lapsed) await this.releaseCredential(teamId, item.operationId as string);
    return lapsed.length > 0;
  }

  async releaseCredential(teamId: string, operationId: string): Promise<void> {
    const transaction = namedTransaction({
      reservation: {
        Delete: { TableName: this.tableName, Key: itemKeys.credentialReservation(teamId, operationId), ConditionExpression: 'attribute_exists(pk)' },
      },
      team: this.credentialCountDown(teamId),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      // Already released (by a concurrent clean-up) or the team is gone: nothing is left to give back.
      if (transaction.cancellation(error)) return;
      throw error;
    }
  }

  async addCredential(
    record: CredentialRecord,
    reservedBy: string,
    completion?: { userId: string; keyHash: string; operationId: string; response: { statusCode: number; sealed: string } },
  ): Promise<void> {
    const transaction = namedTransaction({
      credential: {
        Put: { TableName: this.tableName, Item: { ...itemKeys.teamCredential(record.teamId, record.clientId), type: 'team-credential', ...record } },
      },
      // The count was taken by the reservation; turning it into the record keeps it.
      reservation: {
        Delete: {
          TableName: this.tableName,
          Key: itemKeys.credentialReservation(record.teamId, reservedBy),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
      completion: completion ? completionUpdate(this.tableName, completion.userId, completion.keyHash, completion.operationId, completion.response) : undefined,
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      if (cancelled?.conditionFailed('reservation'))
        throw new ConflictError('This create took too long and its place on the team lapsed; please try again.', { cause: error });
      if (cancelled?.conditionFailed('completion'))
        throw new ConflictError('This request was taken over by a retry with the same Idempotency-Key; use its answer.', { cause: error });
      if (cancelled) throw new ConflictError('The team changed meanwhile; please try again.', { cause: error });
      throw error;
    }
  }

  async removeCredential(teamId: string, clientId: string): Promise<void> {
    const transaction = namedTransaction({
      credential: { Delete: { TableName: this.tableName, Key: itemKeys.teamCredential(teamId, clientId), ConditionExpression: 'attribute_exists(pk)' } },
      team: this.credentialCountDown(teamId),
    });
    try {
      await transaction.write(this.db);
    } catch (error) {
      const cancelled = transaction.cancellation(error);
      // Never recorded (or already forgotten by a concurrent delete): nothing to do.
      if (cancelled?.conditionFailed('credential')) return;
      if (cancelled?.conditionFailed('team')) {
        await guarded(() => this.db.send(new DeleteCommand({ TableName: this.tableName, Key: itemKeys.teamCredential(teamId, clientId) })));
        return;
      }
      throw error;
    }
  }

  /** One credential (or reservation) fewer on the team, never below zero. */
  private credentialCountDown(teamId: string): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: itemKeys.team(teamId),
        UpdateExpression: 'ADD credentialCount :minus',
        ConditionExpression: 'credentialCount > :zero',
        ExpressionAttributeValues: { ':minus': -1, ':zero': 0 },
      },
    };
  }
}
