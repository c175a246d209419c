import { USER_ADMIN } from '../../../../lambdas/core/admin/ports';
import { ConflictError, EmailNotVerifiedError, ForbiddenError, MfaRequiredError, NotFoundError } from '../../../../lambdas/core/errors';
import { InvalidInvitationError } from '../../../../lambdas/core/portal/invitation-tokens';
import { PORTAL_ADMIN } from '../../../../lambdas/core/portal/ports';
import { portalHarness, refusal } from './portal-harness';

describe('Portal callers', () => {
  it('gives a first-time caller a personal team named after them', async () => {
    // Prepare
    const { user, callerOf, store } = portalHarness();
    const profile = user({ firstName: 'Ada', email: 'Ada@Example.com' });
    // Act
    const caller = await callerOf(profile);
    const again = await callerOf(profile);
    // Assess
    expect(caller).toMatchObject({
      userId: profile.id,
      email: 'ada@example.com',
      isAdmin: false,
      emailVerified: true,
      team: { name: "Ada Example's team", personal: true, memberCount: 1 },
    });
    expect(again.team.teamId).toBe(caller.team.teamId);
    expect(store.teams.size).toBe(1);
  });

  it('makes an address named in the settings or the Auth0 directory an admin only once it is verified', async () => {
    // Prepare
    const { user, callerOf } = portalHarness({ settings: { adminEmails: ['boss@example.com'] }, adminDirectory: ['chief@example.com'] });
    // Act
    const callers = await Promise.all([
      callerOf(user({ email: 'boss@example.com' })),
      callerOf(user({ email: 'chief@example.com' })),
      callerOf(user({ email: 'boss@example.com', verified: false })),
      callerOf(user({ email: 'chief@example.com', verified: false })),
    ]);
    // Assess
    expect(callers.map((caller) => caller.isAdmin)).toEqual([true, true, false, false]);
  });

  it('refuses a caller whose account no longer exists', async () => {
    // Prepare
    const { portal } = portalHarness();
    // Act
    const error = await refusal(portal.callers.resolve('gone-user'));
    // Assess
    expect((error as Error).name).toBe('UnauthenticatedError');
  });
});

describe('Portal team and invitations', () => {
  it('invites a teammate by a link in the fragment, emails it, and shows the invitation as pending', async () => {
    // Prepare
    const { portal, user, callerOf, mailer, clock, settings } = portalHarness();
    const inviter = await callerOf(user());
    // Act
    const invited = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    const team = await portal.team.view(inviter);
    // Assess
    expect(invited.statusCode).toBe(201);
    expect(invited.body).toMatchObject({ kind: 'team', email: 'friend@example.com', emailed: true, team: { id: inviter.team.teamId } });
    expect(invited.body.invitation_url).toBe(`https://login.example/portal#invite=${invited.body.token}`);
    expect(invited.body.expires_at).toBe(new Date(clock.now() + settings.invitationTtlSeconds * 1000).toISOString());
    expect(mailer.sent.map((email) => email.to)).toEqual(['friend@example.com']);
    expect(team.invitations).toEqual([{ id: invited.body.id, email: 'friend@example.com', expires_at: invited.body.expires_at, invited_by: inviter.email }]);
  });

  it("writes the invitation email in the inviter's language, since the invitee may have no account yet", async () => {
    // Prepare
    const { portal, user, callerOf, mailer } = portalHarness();
    const inviter = await callerOf(user({ locale: 'de' }));
    // Act
    await portal.invitations.inviteTeammate(inviter, 'freundin@example.com');
    // Assess
    expect(mailer.sent[0]?.subject).toMatch(/hat Sie eingeladen/);
    expect(mailer.sent[0]?.text).toContain('Guten Tag,');
  });

  it('still answers the link when the invitation email cannot be sent, and logs why', async () => {
    // Prepare
    const { portal, user, callerOf, mailer, log } = portalHarness();
    const inviter = await callerOf(user());
    mailer.failing = true;
    // Act
    const invited = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    // Assess
    expect(invited.body.emailed).toBe(false);
    expect(invited.body.token).toEqual(expect.any(String));
    expect(log.lines).toEqual([{ level: 'warn', message: 'portal: invitation email not sent', fields: { inviteId: invited.body.id, errorType: 'Error' } }]);
  });

  it('moves the invited user into the team and removes their empty personal team', async () => {
    // Prepare
    const { portal, user, callerOf, store } = portalHarness();
    const inviter = await callerOf(user());
    const friendProfile = user({ email: 'friend@example.com' });
    const friend = await callerOf(friendProfile);
    const { body } = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    // Act
    const joined = await portal.invitations.join(friend, body.token);
    const team = await portal.team.view(await callerOf(friendProfile));
    // Assess
    expect(joined).toEqual({ joined: 'team', team: expect.objectContaining({ id: inviter.team.teamId, member_count: 2 }) });
    expect(team.members.map((member) => [member.email, member.you])).toEqual([
      [inviter.email, false],
      ['friend@example.com', true],
    ]);
    expect(team.invitations).toEqual([]);
    expect(store.teams.has(friend.team.teamId)).toBe(false);
  });

  it('answers the same join again for the user who already accepted, and refuses anyone else', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const inviter = await callerOf(user());
    const friendProfile = user({ email: 'friend@example.com' });
    const { body } = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    await portal.invitations.join(await callerOf(friendProfile), body.token);
    // Act
    const again = await portal.invitations.join(await callerOf(friendProfile), body.token);
    const other = await refusal(portal.invitations.join(await callerOf(user({ email: 'friend@example.com' })), body.token));
    // Assess
    expect(again).toMatchObject({ joined: 'team', team: { id: inviter.team.teamId } });
    expect(other).toEqual(new InvalidInvitationError('This invitation has already been used. Ask for a new one.'));
  });

  it('refuses an invitation past its expiry, by the fake clock', async () => {
    // Prepare
    const { portal, user, callerOf, clock, settings } = portalHarness();
    const inviter = await callerOf(user());
    const friend = await callerOf(user({ email: 'friend@example.com' }));
    const { body } = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    clock.advanceSeconds(settings.invitationTtlSeconds);
    // Act
    const error = await refusal(portal.invitations.join(friend, body.token));
    // Assess
    expect(error).toEqual(new InvalidInvitationError('This invitation has expired. Ask for a new one.'));
  });

  it('lets only the verified owner of the invited address accept, naming the address masked', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const inviter = await callerOf(user());
    const { body } = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    // Act
    const wrongPerson = await refusal(portal.invitations.join(await callerOf(user({ email: 'someone@example.com' })), body.token));
    const unverified = await refusal(portal.invitations.join(await callerOf(user({ email: 'friend@example.com', verified: false })), body.token));
    // Assess
    expect(wrongPerson).toEqual(new ForbiddenError('This invitation was sent to f***@example.com. Sign in with that account to accept it.'));
    expect(unverified).toBeInstanceOf(EmailNotVerifiedError);
  });

  it('refuses a forged link before reading the store', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const caller = await callerOf(user());
    // Act
    const error = await refusal(portal.invitations.join(caller, 'invite.not-signed-here'));
    // Assess
    expect(error).toBeInstanceOf(InvalidInvitationError);
  });

  it('refuses to strand credentials: the only member of a team holding some cannot join another', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const inviter = await callerOf(user());
    const friendProfile = user({ email: 'friend@example.com' });
    await portal.credentials.create(await callerOf(friendProfile), { name: 'Kept', environment: 'sandbox' });
    const { body } = await portal.invitations.inviteTeammate(inviter, 'friend@example.com');
    // Act
    const error = await refusal(portal.invitations.join(await callerOf(friendProfile), body.token));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toContain('still holds 1 credential.');
  });

  it('withdraws the pending invitations of a removed member, and their links stop working', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const founder = await callerOf(user());
    const memberProfile = user({ email: 'member@example.com' });
    const { body: membership } = await portal.invitations.inviteTeammate(founder, 'member@example.com');
    await portal.invitations.join(await callerOf(memberProfile), membership.token);
    const { body: theirInvite } = await portal.invitations.inviteTeammate(await callerOf(memberProfile), 'later@example.com');
    // Act
    await portal.team.removeMember(founder, memberProfile.id);
    const team = await portal.team.view(founder);
    const error = await refusal(portal.invitations.join(await callerOf(user({ email: 'later@example.com' })), theirInvite.token));
    // Assess
    expect(team.members.map((member) => member.email)).toEqual([founder.email]);
    expect(team.invitations).toEqual([]);
    expect(error).toBeInstanceOf(InvalidInvitationError);
  });

  it('answers 404 for a member or an invitation the team does not have', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const caller = await callerOf(user());
    // Act
    const errors = await Promise.all([
      refusal(portal.team.removeMember(caller, 'someone-else')),
      refusal(portal.team.withdrawInvitation(caller, 'no-such-invite')),
      refusal(portal.team.removeMember(caller, 'bad id!')),
    ]);
    // Assess
    expect(errors.map((error) => error instanceof NotFoundError)).toEqual([true, true, true]);
  });

  it('refuses to remove the last member of a team', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const caller = await callerOf(user());
    // Act
    const error = await refusal(portal.team.removeMember(caller, caller.userId));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
  });
});

describe('Portal admin', () => {
  it('lets only admins invite admins, and an accepted invitation grants the permission of its kind', async () => {
    // Prepare
    const { portal, user, callerOf, store } = portalHarness({ settings: { adminEmails: ['boss@example.com'] } });
    const admin = await callerOf(user({ email: 'boss@example.com' }));
    const plain = await callerOf(user());
    const futureAdmin = user({ email: 'next@example.com' });
    const futureOperator = user({ email: 'operator@example.com' });
    // Act
    const refused = await refusal(portal.invitations.inviteAdmin(plain, 'next@example.com'));
    const adminInvite = await portal.invitations.inviteAdmin(admin, 'next@example.com');
    const operatorInvite = await portal.invitations.inviteAdmin(admin, 'operator@example.com', undefined, 'user-admin');
    const joinedAdmin = await portal.invitations.join(await callerOf(futureAdmin), adminInvite.body.token);
    const joinedOperator = await portal.invitations.join(await callerOf(futureOperator), operatorInvite.body.token);
    // Assess
    expect(refused).toEqual(new ForbiddenError('Only portal admins may do this.'));
    expect(adminInvite.body.team).toBeUndefined();
    expect(joinedAdmin).toMatchObject({ joined: 'admin', permissions: [PORTAL_ADMIN] });
    expect(joinedOperator).toMatchObject({ joined: 'user-admin', permissions: [USER_ADMIN] });
    expect((await callerOf(futureAdmin)).isAdmin).toBe(true);
    expect(store.memberships.get(futureOperator.id)?.permissions).toEqual([USER_ADMIN]);
  });

  it('refuses admin actions to an admin whose session was signed in with the password alone (mfa_required)', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness({ settings: { adminEmails: ['boss@example.com'] } });
    const admin = await callerOf(user({ email: 'boss@example.com' }), ['pwd']);
    // Act
    const listing = await refusal(portal.admin.teams(admin));
    const invite = await refusal(portal.invitations.inviteAdmin(admin, 'next@example.com'));
    // Assess
    expect(listing).toBeInstanceOf(MfaRequiredError);
    expect(invite).toBeInstanceOf(MfaRequiredError);
  });

  it('refuses an admin invitation of either kind once its sender is no longer named an admin, in the words of a withdrawn one', async () => {
    // Prepare
    const { portal, user, callerOf, settings, store } = portalHarness({ settings: { adminEmails: ['boss@example.com'] } });
    const admin = await callerOf(user({ email: 'boss@example.com' }));
    const futureAdmin = user({ email: 'next@example.com' });
    const futureOperator = user({ email: 'operator@example.com' });
    const adminInvite = await portal.invitations.inviteAdmin(admin, 'next@example.com');
    const operatorInvite = await portal.invitations.inviteAdmin(admin, 'operator@example.com', undefined, 'user-admin');
    settings.adminEmails = [];
    // Act
    const adminRefusal = await refusal(portal.invitations.join(await callerOf(futureAdmin), adminInvite.body.token));
    const operatorRefusal = await refusal(portal.invitations.join(await callerOf(futureOperator), operatorInvite.body.token));
    // Assess
    const withdrawn = new InvalidInvitationError('This invitation no longer exists. Ask for a new one.');
    expect([adminRefusal, operatorRefusal]).toEqual([withdrawn, withdrawn]);
    expect(store.memberships.get(futureAdmin.id)?.permissions).toEqual([]);
    expect(store.memberships.get(futureOperator.id)?.permissions).toEqual([]);
    expect([...store.invitations.values()].filter((invitation) => invitation.kind !== 'team').map((invitation) => invitation.usedAt)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('refuses an admin invitation whose sender lost the stored portal-admin permission, or whose account is gone', async () => {
    // Prepare
    const { portal, user, callerOf, store, profiles } = portalHarness();
    const demotedProfile = user({ email: 'demoted@example.com' });
    const goneProfile = user({ email: 'gone@example.com' });
    const demoted = await callerOf(demotedProfile);
    const gone = await callerOf(goneProfile);
    for (const sender of [demoted, gone]) store.memberships.set(sender.userId, { ...store.memberships.get(sender.userId)!, permissions: [PORTAL_ADMIN] });
    const fromDemoted = await portal.invitations.inviteAdmin(await callerOf(demotedProfile), 'first@example.com');
    const fromGone = await portal.invitations.inviteAdmin(await callerOf(goneProfile), 'second@example.com');
    store.memberships.set(demoted.userId, { ...store.memberships.get(demoted.userId)!, permissions: [] });
    store.memberships.delete(gone.userId);
    profiles.delete(gone.userId);
    // Act
    const first = await refusal(portal.invitations.join(await callerOf(user({ email: 'first@example.com' })), fromDemoted.body.token));
    const second = await refusal(portal.invitations.join(await callerOf(user({ email: 'second@example.com' })), fromGone.body.token));
    // Assess
    expect(first).toEqual(new InvalidInvitationError('This invitation no longer exists. Ask for a new one.'));
    expect(second).toEqual(new InvalidInvitationError('This invitation no longer exists. Ask for a new one.'));
  });

  it('accepts an admin invitation from an admin named in Auth0, and refuses it when the sender address is no longer verified', async () => {
    // Prepare
    const { portal, user, callerOf, profiles } = portalHarness({ adminDirectory: ['auth0-admin@example.com'] });
    const senderProfile = user({ email: 'auth0-admin@example.com' });
    const sender = await callerOf(senderProfile);
    const first = await portal.invitations.inviteAdmin(sender, 'first@example.com');
    const second = await portal.invitations.inviteAdmin(sender, 'second@example.com');
    // Act
    const accepted = await portal.invitations.join(await callerOf(user({ email: 'first@example.com' })), first.body.token);
    profiles.set(senderProfile.id, { ...senderProfile, emailVerifiedAt: undefined });
    const refused = await refusal(portal.invitations.join(await callerOf(user({ email: 'second@example.com' })), second.body.token));
    // Assess
    expect(accepted).toMatchObject({ joined: 'admin', permissions: [PORTAL_ADMIN] });
    expect(refused).toEqual(new InvalidInvitationError('This invitation no longer exists. Ask for a new one.'));
  });

  it('shows admins every team with its credentials, and portal clients whose team is gone as unassigned', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness({ settings: { adminEmails: ['boss@example.com'] } });
    const admin = await callerOf(user({ email: 'boss@example.com' }));
    const member = await callerOf(user());
    const created = await portal.credentials.create(member, { name: 'Backend', environment: 'sandbox' });
    const orphan = await tenants.production.createClient({ name: 'Orphan', metadata: { portal: 'loginbridge', teamId: 'gone-team' } });
    // Act
    const view = await portal.admin.teams(admin);
    const refused = await refusal(portal.admin.teams(member));
    // Assess
    expect(view.teams.map((team) => [team.id, team.credentials.map((credential) => credential.client_id)])).toEqual([
      [admin.team.teamId, []],
      [member.team.teamId, [created.body.client_id]],
    ]);
    expect(view.unassigned_credentials).toEqual([expect.objectContaining({ client_id: orphan.clientId, team_id: 'gone-team', environment: 'production' })]);
    expect(view.environments.sandbox.available).toBe(true);
    expect(refused).toBeInstanceOf(ForbiddenError);
  });

  it('shows an admin their portal-admin permission in the team answer', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness({ settings: { adminEmails: ['boss@example.com'] } });
    const admin = await callerOf(user({ email: 'boss@example.com' }));
    // Act
    const team = await portal.team.view(admin);
    // Assess
    expect(team.you).toEqual({ user_id: admin.userId, email: 'boss@example.com', permissions: [PORTAL_ADMIN], is_admin: true });
  });

  it("tells the caller their account's language in the team answer, so /portal can follow it", async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const spanish = await callerOf(user({ locale: 'es' }));
    const unset = await callerOf(user());
    // Act
    const [spanishTeam, unsetTeam] = [await portal.team.view(spanish), await portal.team.view(unset)];
    // Assess
    expect(spanishTeam.you.locale).toBe('es');
    expect('locale' in unsetTeam.you).toBe(false);
  });
});
