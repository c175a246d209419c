import { decodeJwt } from 'jose';
import { withFactorSignIn } from '../../support/factors';
import { call, uniqueEmail } from '../../support/http';
import { clearOfWindowEdge } from '../../support/windows';
import { as, type PortalStack, type PortalUser, signUp, startPortalStack } from './helpers';

const ADMIN_EMAIL = `configured.admin.${process.pid}@example.com`;
const OPERATOR_EMAIL = `configured.operator.${process.pid}@example.com`;
const TEAM_TTL = 3600;
const ADMIN_TTL = 900;

describe('admin and user-admin invitations', () => {
  let portal: PortalStack;
  let admin: PortalUser;
  let operator: PortalUser;
  beforeAll(async () => {
    portal = await startPortalStack({
      PORTAL_ADMIN_EMAILS: ADMIN_EMAIL,
      USER_ADMIN_EMAILS: OPERATOR_EMAIL,
      PORTAL_INVITATION_TTL_SECONDS: String(TEAM_TTL),
      ADMIN_INVITATION_TTL_SECONDS: String(ADMIN_TTL),
    });
    // Admin routes and the console need a session signed in with a second factor (docs/security.md).
    admin = await withFactorSignIn(portal.stack.url, await signUp(portal.stack, { email: ADMIN_EMAIL }));
    operator = await withFactorSignIn(portal.stack.url, await signUp(portal.stack, { email: OPERATOR_EMAIL }));
  });
  // The mail limits count in fixed windows of an hour.
  beforeEach(() => clearOfWindowEdge(3600));
  afterAll(() => portal.stop());

  const tokenOf = (url: string) => decodeURIComponent(url.split('#invite=')[1]);
  const mailsTo = (email: string) => portal.stack.outbox().filter((mail) => mail.to === email && mail.subject.includes('invited you'));
  // The grants only: reading the trail is audited too (an `audit-read` entry per read).
  const trail = async (filter: string) =>
    (
      (await call(portal.stack.url, 'GET', `/admin/audit?${filter}`, { headers: { authorization: `Bearer ${operator.accessToken}` } })).body.entries as Record<
        string,
        any
      >[]
    ).filter((entry) => entry.action === 'grant-role');

  it('lists pending admin and user-admin invitations, and lets a portal admin withdraw one so its link stops working', async () => {
    // Prepare
    const adminApi = as(portal.stack, admin);
    const futureAdmin = await signUp(portal.stack);
    const futureOperator = uniqueEmail('operator');
    const member = await signUp(portal.stack);
    const toAdmin = await adminApi.post('/portal/admin/invitations', { email: futureAdmin.email });
    const toOperator = await adminApi.post('/portal/admin/invitations', { email: futureOperator, kind: 'user-admin' });
    // Act
    const listed = await adminApi.get('/portal/admin/invitations');
    const memberList = await as(portal.stack, member).get('/portal/admin/invitations');
    const memberWithdraw = await as(portal.stack, member).delete(`/portal/admin/invitations/${toAdmin.body.id}`);
    const withdrawn = await adminApi.delete(`/portal/admin/invitations/${toAdmin.body.id}`);
    const again = await adminApi.delete(`/portal/admin/invitations/${toAdmin.body.id}`);
    const join = await as(portal.stack, futureAdmin).post('/portal/team/join', { token: tokenOf(toAdmin.body.invitation_url) });
    const after = await adminApi.get('/portal/admin/invitations');
    // Assess
    expect(listed.status).toBe(200);
    expect(listed.body.invitations).toEqual(
      expect.arrayContaining([
        {
          id: toAdmin.body.id,
          kind: 'admin',
          email: futureAdmin.email,
          invited_by: ADMIN_EMAIL,
          created_at: expect.any(String),
          expires_at: toAdmin.body.expires_at,
        },
        {
          id: toOperator.body.id,
          kind: 'user-admin',
          email: futureOperator,
          invited_by: ADMIN_EMAIL,
          created_at: expect.any(String),
          expires_at: expect.any(String),
        },
      ]),
    );
    expect(memberList.status).toBe(403);
    expect(memberWithdraw.status).toBe(403);
    expect(withdrawn.status).toBe(204);
    expect(again.status).toBe(404);
    expect(join.status).toBe(400);
    expect(join.body).toMatchObject({ error: 'invalid_invitation' });
    expect((await as(portal.stack, futureAdmin).get('/portal/team')).body.you.is_admin).toBe(false);
    const ids = after.body.invitations.map((invitation: { id: string }) => invitation.id);
    expect(ids).toContain(toOperator.body.id);
    expect(ids).not.toContain(toAdmin.body.id);
  });

  it('makes admin invitations expire sooner than team invitations', async () => {
    // Act
    const started = Date.now() / 1000;
    const toAdmin = await as(portal.stack, admin).post('/portal/admin/invitations', { email: uniqueEmail('admin') });
    const toTeam = await as(portal.stack, admin).post('/portal/team/invitations', { email: uniqueEmail('mate') });
    // Assess
    const adminClaims = decodeJwt(tokenOf(toAdmin.body.invitation_url));
    expect((adminClaims.exp as number) - (adminClaims.iat as number)).toBe(ADMIN_TTL);
    expect(Date.parse(toAdmin.body.expires_at) / 1000 - started).toBeLessThanOrEqual(ADMIN_TTL + 2);
    expect(Date.parse(toTeam.body.expires_at) / 1000 - started).toBeGreaterThan(TEAM_TTL - 5);
  });

  it('says in each email exactly which role the invitation grants', async () => {
    // Prepare
    const [adminInvitee, operatorInvitee, teamInvitee] = [uniqueEmail('admin'), uniqueEmail('operator'), uniqueEmail('mate')];
    // Act
    await as(portal.stack, admin).post('/portal/admin/invitations', { email: adminInvitee });
    await as(portal.stack, admin).post('/portal/admin/invitations', { email: operatorInvitee, kind: 'user-admin' });
    await as(portal.stack, admin).post('/portal/team/invitations', { email: teamInvitee });
    // Assess
    const [toAdmin] = mailsTo(adminInvitee);
    const [toOperator] = mailsTo(operatorInvitee);
    const [toTeam] = mailsTo(teamInvitee);
    expect(toAdmin.subject).toBe(`${ADMIN_EMAIL} invited you to become a portal admin`);
    expect(toAdmin.text).toContain('A portal admin sees every team');
    expect(toOperator.subject).toBe(`${ADMIN_EMAIL} invited you to become a user admin`);
    expect(toOperator.text).toContain('operator console');
    expect(toOperator.text).not.toContain('portal admin');
    expect(toTeam.subject).toBe(`${ADMIN_EMAIL} invited you to join a team on the developer portal`);
    expect(toTeam.text).not.toMatch(/portal admin|user admin/);
  });

  it('audits an accepted admin invitation as a grant by its sender', async () => {
    // Prepare
    const invitee = await signUp(portal.stack);
    const invited = await as(portal.stack, admin).post('/portal/admin/invitations', { email: invitee.email, kind: 'user-admin' });
    // Act
    const joined = await as(portal.stack, invitee).post('/portal/team/join', { token: tokenOf(invited.body.invitation_url) });
    // Assess
    expect(joined.status).toBe(200);
    expect(await trail(`userId=${invitee.userId}`)).toEqual([
      expect.objectContaining({
        action: 'grant-role',
        actor_id: admin.userId,
        actor_email: ADMIN_EMAIL,
        target_user_id: invitee.userId,
        correlation_id: invited.body.id,
        changes: { role: { before: null, after: 'user-admin' }, source: { before: null, after: 'invitation' } },
      }),
    ]);
  });

  it('audits the first use of an address named in PORTAL_ADMIN_EMAILS or USER_ADMIN_EMAILS, once', async () => {
    // Act: both configured users have used their rights above, some of them several times.
    await as(portal.stack, admin).get('/portal/team');
    await as(portal.stack, admin).get('/portal/admin/invitations');
    // Assess
    expect(await trail(`userId=${admin.userId}`)).toEqual([
      expect.objectContaining({
        action: 'grant-role',
        actor_id: 'configuration',
        actor_email: 'PORTAL_ADMIN_EMAILS',
        changes: { role: { before: null, after: 'portal-admin' }, source: { before: null, after: 'PORTAL_ADMIN_EMAILS' } },
      }),
    ]);
    expect(await trail(`userId=${operator.userId}`)).toEqual([
      expect.objectContaining({
        action: 'grant-role',
        actor_id: 'configuration',
        changes: { role: { before: null, after: 'user-admin' }, source: { before: null, after: 'USER_ADMIN_EMAILS' } },
      }),
    ]);
  });

  it('audits a portal admin named in Auth0 app_metadata when first seen', async () => {
    // Prepare
    const named = await signUp(portal.stack);
    portal.production.addUser({ email: named.email, app_metadata: { permissions: ['portal-admin'] } });
    // Act
    const team = await as(portal.stack, named).get('/portal/team');
    await as(portal.stack, named).get('/portal/team');
    // Assess
    expect(team.body.you.is_admin).toBe(true);
    expect(await trail(`userId=${named.userId}`)).toEqual([
      expect.objectContaining({
        action: 'grant-role',
        actor_id: 'auth0',
        changes: expect.objectContaining({ source: { before: null, after: 'auth0-app-metadata' } }),
      }),
    ]);
  });

  it('holds a portal admin named only in Auth0 app_metadata above a user admin in the console, once the grant is recorded', async () => {
    // Prepare: the operator (USER_ADMIN_EMAILS) and a portal admin the console knows only through its recorded grant.
    const named = await signUp(portal.stack);
    portal.production.addUser({ email: named.email, app_metadata: { permissions: ['portal-admin'] } });
    expect((await as(portal.stack, named).get('/portal/team')).body.you.is_admin).toBe(true);
    const plain = await signUp(portal.stack);
    const disable = (userId: string) =>
      call(portal.stack.url, 'POST', `/admin/users/${userId}/disable`, { headers: { authorization: `Bearer ${operator.accessToken}` } });
    // Act
    const onAdmin = await disable(named.userId);
    const onUser = await disable(plain.userId);
    // Assess
    expect(onAdmin.status).toBe(403);
    expect(onUser.status).toBe(200);
  });
});
