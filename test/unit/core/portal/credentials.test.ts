import {
  ConflictError,
  EmailNotVerifiedError,
  FormRejectedError,
  NotFoundError,
  PartnerTimeoutError,
  PartnerUnavailableError,
  ServiceUnavailableError,
  StepUpRequiredError,
} from '../../../../lambdas/core/errors';
import { PORTAL_MARKER } from '../../../../lambdas/core/portal/portal';
import { portalHarness, refusal } from './portal-harness';

const KEY = '0b6a4f0e-9d55-4c51-8f0e-3c8f2d1a7b6e';

describe('Portal credentials', () => {
  it('creates a sandbox client with one grant per configured API and answers its secret once', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, store, clock } = portalHarness();
    const caller = await callerOf(user());
    // Act
    const outcome = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' });
    // Assess
    expect(outcome.statusCode).toBe(201);
    expect(outcome.body).toEqual({
      client_id: expect.any(String),
      client_secret: tenants.sandbox.clients.get(outcome.body.client_id)?.clientSecret,
      name: 'Backend',
      environment: 'sandbox',
      token_url: 'https://sandbox.tenant.example/oauth/token',
      audiences: ['https://api.sandbox.example'],
      created_at: new Date(clock.now()).toISOString(),
    });
    expect(tenants.sandbox.clients.get(outcome.body.client_id)?.metadata).toMatchObject({
      portal: PORTAL_MARKER,
      teamId: caller.team.teamId,
      createdBy: caller.userId,
    });
    expect(store.teams.get(caller.team.teamId)?.credentialCount).toBe(1);
  });

  it('creates and rotates a production credential only with a second factor used within the step-up window (step_up_required)', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const profile = user();
    const fresh = await callerOf(profile);
    const stale = await callerOf(profile, ['pwd', 'otp', 'mfa'], false);
    // Act
    const refusedCreate = await refusal(portal.credentials.create(stale, { name: 'Prod', environment: 'production' }));
    const created = await portal.credentials.create(fresh, { name: 'Prod', environment: 'production' });
    const refusedRotate = await refusal(portal.credentials.rotate(stale, created.body.client_id));
    const sandbox = await portal.credentials.create(stale, { name: 'Sandbox', environment: 'sandbox' });
    // Assess
    expect(refusedCreate).toBeInstanceOf(StepUpRequiredError);
    expect(refusedRotate).toBeInstanceOf(StepUpRequiredError);
    expect(sandbox.statusCode).toBe(201);
  });

  it('lists only the clients tagged with the caller team, never a secret', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const [mine, theirs] = [await callerOf(user()), await callerOf(user())];
    const created = await portal.credentials.create(mine, { name: 'Mine', environment: 'production' });
    await portal.credentials.create(theirs, { name: 'Theirs', environment: 'production' });
    await tenants.production.createClient({ name: 'Made in the dashboard', metadata: {} });
    // Act
    const listed = await portal.credentials.list(mine);
    // Assess
    expect(listed.credentials).toEqual([
      {
        client_id: created.body.client_id,
        name: 'Mine',
        environment: 'production',
        audiences: ['https://api.example'],
        created_at: created.body.created_at,
        created_by: mine.userId,
      },
    ]);
    expect(JSON.stringify(listed)).not.toContain(created.body.client_secret);
    expect(listed.environments.sandbox).toEqual({
      available: true,
      token_url: 'https://sandbox.tenant.example/oauth/token',
      audiences: ['https://api.sandbox.example'],
    });
  });

  it('reports an unconfigured environment in the list and refuses to create in it', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness({ configured: ['sandbox'] });
    const caller = await callerOf(user());
    // Act
    const listed = await portal.credentials.list(caller);
    const error = await refusal(portal.credentials.create(caller, { name: 'Prod', environment: 'production' }));
    // Assess
    expect(listed.environments.production).toEqual({
      available: false,
      audiences: ['https://api.example'],
      message: 'The production environment is not configured.',
    });
    expect(error).toBeInstanceOf(ServiceUnavailableError);
  });

  it('refuses a caller whose email is not verified before touching Auth0', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const caller = await callerOf(user({ verified: false }));
    // Act
    const error = await refusal(portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }));
    // Assess
    expect(error).toBeInstanceOf(EmailNotVerifiedError);
    expect(tenants.sandbox.clients.size).toBe(0);
  });

  it('refuses a team that already holds the most credentials a team may hold', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness({ settings: { maxCredentialsPerTeam: 1 } });
    const profile = user();
    await portal.credentials.create(await callerOf(profile), { name: 'First', environment: 'sandbox' });
    // Act
    const error = await refusal(portal.credentials.create(await callerOf(profile), { name: 'Second', environment: 'sandbox' }));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(tenants.sandbox.clients.size).toBe(1);
  });

  it('takes the client back when a grant fails, so no half-made credential is left', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, store } = portalHarness();
    const caller = await callerOf(user());
    tenants.sandbox.failNext('createGrant', new PartnerUnavailableError('Auth0 sandbox'));
    // Act
    const error = await refusal(portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }));
    // Assess
    expect(error).toBeInstanceOf(PartnerUnavailableError);
    expect(tenants.sandbox.clients.size).toBe(0);
    expect(store.credentials.size).toBe(0);
  });

  it('takes the client back when the team is full by the time the credential is recorded', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, store } = portalHarness({ settings: { maxCredentialsPerTeam: 1 } });
    const profile = user();
    const staleCaller = await callerOf(profile);
    await portal.credentials.create(await callerOf(profile), { name: 'First', environment: 'sandbox' });
    // Act
    const error = await refusal(portal.credentials.create(staleCaller, { name: 'Raced', environment: 'sandbox' }));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect([...tenants.sandbox.clients.values()].map((client) => client.name)).toEqual(['First']);
    expect(tenants.sandbox.grants.size).toBe(1);
    expect(store.teams.get(staleCaller.team.teamId)?.credentialCount).toBe(1);
  });

  it('removes a client a timed-out creation may have made, found by its operation tag', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const caller = await callerOf(user());
    const createClient = tenants.sandbox.createClient.bind(tenants.sandbox);
    tenants.sandbox.createClient = async (input) => {
      await createClient(input);
      throw new PartnerTimeoutError('Auth0 sandbox');
    };
    // Act
    const error = await refusal(portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }));
    // Assess
    expect(error).toBeInstanceOf(PartnerTimeoutError);
    expect(tenants.sandbox.clients.size).toBe(0);
  });

  it('answers a retry with the same Idempotency-Key with the first answer, secret included, and creates nothing more', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const caller = await callerOf(user());
    const first = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }, KEY);
    // Act
    const retry = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }, KEY);
    // Assess
    expect(retry).toEqual({ statusCode: 201, body: first.body, replayed: true });
    expect(tenants.sandbox.clients.size).toBe(1);
  });

  it('refuses an Idempotency-Key reused for a different request', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const caller = await callerOf(user());
    await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }, KEY);
    // Act
    const error = await refusal(portal.credentials.create(caller, { name: 'Other', environment: 'sandbox' }, KEY));
    // Assess
    expect(error).toBeInstanceOf(FormRejectedError);
    expect((error as FormRejectedError).code).toBe('idempotency_key_reused');
  });

  it('releases the Idempotency-Key after a failure, so the same key may be retried', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const caller = await callerOf(user());
    tenants.sandbox.failNext('createGrant', new PartnerUnavailableError('Auth0 sandbox'));
    await refusal(portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }, KEY));
    // Act
    const retried = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' }, KEY);
    // Assess
    expect(retried.statusCode).toBe(201);
    expect(retried.replayed).toBeUndefined();
  });

  it('rotates the secret of a team credential and answers the new one', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, clock } = portalHarness();
    const caller = await callerOf(user());
    const created = await portal.credentials.create(caller, { name: 'Backend', environment: 'production' });
    clock.advanceSeconds(60);
    // Act
    const rotated = await portal.credentials.rotate(caller, created.body.client_id);
    // Assess
    expect(rotated.statusCode).toBe(200);
    expect(rotated.body.client_secret).not.toBe(created.body.client_secret);
    expect(rotated.body.client_secret).toBe(tenants.production.clients.get(created.body.client_id)?.clientSecret);
    expect(rotated.body).toMatchObject({ environment: 'production', audiences: ['https://api.example'], rotated_at: new Date(clock.now()).toISOString() });
  });

  it('answers 404 for another team credential, exactly as for one that does not exist', async () => {
    // Prepare
    const { portal, user, callerOf } = portalHarness();
    const [owner, stranger] = [await callerOf(user()), await callerOf(user())];
    const created = await portal.credentials.create(owner, { name: 'Backend', environment: 'sandbox' });
    // Act
    const errors = await Promise.all([
      refusal(portal.credentials.rotate(stranger, created.body.client_id)),
      refusal(portal.credentials.delete(stranger, created.body.client_id)),
      refusal(portal.credentials.delete(stranger, 'no-such-client')),
    ]);
    // Assess
    for (const error of errors) expect(error).toEqual(new NotFoundError('Your team has no credential with this client id.'));
  });

  it('deletes the grants, the client and the team record of a credential', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, store } = portalHarness();
    const caller = await callerOf(user());
    const created = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' });
    // Act
    await portal.credentials.delete(caller, created.body.client_id);
    // Assess
    expect(tenants.sandbox.clients.size).toBe(0);
    expect(tenants.sandbox.grants.size).toBe(0);
    expect(store.teams.get(caller.team.teamId)?.credentialCount).toBe(0);
  });

  it('forgets a recorded credential that was deleted in the Auth0 dashboard', async () => {
    // Prepare
    const { portal, user, callerOf, tenants, store } = portalHarness();
    const caller = await callerOf(user());
    const created = await portal.credentials.create(caller, { name: 'Backend', environment: 'sandbox' });
    tenants.sandbox.clients.delete(created.body.client_id);
    // Act
    const error = await refusal(portal.credentials.delete(caller, created.body.client_id));
    // Assess
    expect(error).toBeInstanceOf(NotFoundError);
    expect(store.credentials.size).toBe(0);
    expect(store.teams.get(caller.team.teamId)?.credentialCount).toBe(0);
  });

  it('reports a failing tenant in the list and fails only when every tenant fails', async () => {
    // Prepare
    const { portal, user, callerOf, tenants } = portalHarness();
    const caller = await callerOf(user());
    tenants.production.failNext('listClients', new PartnerUnavailableError('Auth0 production'));
    // Act
    const listed = await portal.credentials.list(caller);
    tenants.sandbox.failNext('listClients', new PartnerUnavailableError('Auth0 sandbox'));
    tenants.production.failNext('listClients', new PartnerUnavailableError('Auth0 production'));
    const error = await refusal(portal.credentials.list(caller));
    // Assess
    expect(listed.environments.production).toMatchObject({ available: false, message: new PartnerUnavailableError('Auth0 production').message });
    expect(listed.environments.sandbox.available).toBe(true);
    expect(error).toBeInstanceOf(PartnerUnavailableError);
  });
});
