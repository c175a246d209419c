import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoInvitationStore } from '../../../../lambdas/adapters/dynamo/invitation-store';
import { DynamoMembershipStore } from '../../../../lambdas/adapters/dynamo/membership-store';
import { itemKeys } from '../../../../lambdas/adapters/dynamo/table-design';
import type { AuditRecord } from '../../../../lambdas/core/admin/ports';
import type { Invitation } from '../../../../lambdas/core/portal/ports';
import { freshTable } from '../../../support/dynamo';

const NOW = 1_800_000_000;

describe('Portal role grants (invitation and membership stores)', () => {
  let invites: DynamoInvitationStore;
  let memberships: DynamoMembershipStore;
  let db: Awaited<ReturnType<typeof freshTable>>['db'];
  let tableName: string;
  let sequence = 0;

  beforeAll(async () => {
    ({ db, tableName } = await freshTable());
    invites = new DynamoInvitationStore(db, tableName);
    memberships = new DynamoMembershipStore(db, tableName);
  });

  const id = (prefix: string) => `${prefix}${String((sequence += 1)).padStart(18, '0')}`;
  const audit = (targetUserId: string): AuditRecord => ({
    entry: {
      auditId: id('audit'),
      at: new Date(NOW * 1000).toISOString(),
      actorId: 'inviter',
      actorEmail: 'inviter@example.com',
      action: 'grant-role',
      targetUserId,
      correlationId: 'c',
      changes: { role: { before: null, after: 'portal-admin' } },
    },
    expiresAt: NOW + 86400,
  });
  const permissionsOf = async (userId: string) =>
    [...((await db.send(new GetCommand({ TableName: tableName, Key: itemKeys.portalMembership(userId) }))).Item?.permissions ?? [])] as string[];
  const trailOf = async (userId: string) =>
    (
      await db.send(
        new QueryCommand({ TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': itemKeys.auditByUser(userId) } }),
      )
    ).Items ?? [];
  /** An entry already stored under the same key: the grant's own entry cannot be written. */
  const blockEntry = (prepared: AuditRecord) =>
    db.send(
      new PutCommand({
        TableName: tableName,
        Item: { pk: itemKeys.auditAll, sk: itemKeys.auditSortKey(prepared.entry.at, prepared.entry.auditId), type: 'audit' },
      }),
    );

  async function pendingInvitation(): Promise<Invitation> {
    const invitation: Invitation = {
      inviteId: id('invite'),
      kind: 'admin',
      email: 'new.admin@example.com',
      invitedBy: 'inviter@example.com',
      invitedByUserId: 'inviter',
      createdAt: NOW,
      expiresAt: NOW + 3600,
    };
    await invites.saveInvitation(invitation);
    return invitation;
  }

  it('grants an accepted admin invitation together with its audit entry', async () => {
    // Prepare
    const userId = id('user');
    const invitation = await pendingInvitation();
    // Act
    await invites.acceptAdminInvitation({ invitation, userId, now: NOW, audit: audit(userId) });
    // Assess
    expect(await permissionsOf(userId)).toEqual(['portal-admin']);
    expect(await trailOf(userId)).toHaveLength(1);
  });

  it('does not grant when the audit entry cannot be written', async () => {
    // Prepare
    const userId = id('user');
    const invitation = await pendingInvitation();
    const prepared = audit(userId);
    await blockEntry(prepared);
    // Act
    const accepting = invites.acceptAdminInvitation({ invitation, userId, now: NOW, audit: prepared });
    // Assess
    await expect(accepting).rejects.toThrow();
    expect(await permissionsOf(userId)).toEqual([]);
    expect((await invites.getInvitation('admin', invitation.inviteId))?.usedAt).toBeUndefined();
  });

  it('records an address grant once, and not at all when its audit entry cannot be written', async () => {
    // Prepare
    const userId = id('user');
    const blocked = audit(userId);
    await blockEntry(blocked);
    // Act
    const failed = memberships.recordAddressGrant(userId, 'portal-admin:PORTAL_ADMIN_EMAILS', blocked);
    await expect(failed).rejects.toThrow();
    const first = await memberships.recordAddressGrant(userId, 'portal-admin:PORTAL_ADMIN_EMAILS', audit(userId));
    const second = await memberships.recordAddressGrant(userId, 'portal-admin:PORTAL_ADMIN_EMAILS', audit(userId));
    // Assess
    expect([first, second]).toEqual([true, false]);
    expect(await trailOf(userId)).toHaveLength(1);
    expect((await memberships.getMembership(userId))?.recordedGrants).toEqual(['portal-admin:PORTAL_ADMIN_EMAILS']);
  });
});
