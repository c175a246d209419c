import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { freshCode, withFactorSignIn } from '../../support/factors';
import { call, post } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { consoleApi, grantUserAdmin, markEmailVerified, signUp } from '../admin/helpers';

const PORTAL_ADMIN = `policy.portal.admin.${process.pid}@example.com`;

describe('second-factor policy of admin and console routes', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // FACTOR_POLICY_ENFORCED is on by default: nothing to set.
    stack = await startTestStack({ env: { PORTAL_ADMIN_EMAILS: PORTAL_ADMIN } });
  });
  afterAll(() => stack.stop());

  async function operatorWithoutFactor() {
    const user = await signUp(stack);
    await markEmailVerified(stack, user.userId);
    await grantUserAdmin(stack, user.userId);
    return user;
  }

  it('refuses a user admin signed in with the password alone with 403 mfa_required, on reads and actions', async () => {
    const operator = await operatorWithoutFactor();
    const target = await signUp(stack);

    const read = await consoleApi(stack, operator.accessToken).get('/admin/audit');
    const action = await consoleApi(stack, operator.accessToken).post(`/admin/users/${target.userId}/sign-out`);

    expect(read.status).toBe(403);
    expect(read.body).toMatchObject({ error: 'mfa_required' });
    expect(action.status).toBe(403);
    expect(action.body.error).toBe('mfa_required');
  });

  it('lets a user admin read with a two-factor session, and act only with a factor proven within STEP_UP_WINDOW_SECONDS (step-up)', async () => {
    const operator = await withFactorSignIn(stack.url, await operatorWithoutFactor());
    const target = await signUp(stack);
    const { sub, sid } = decodeJwt(operator.accessToken) as { sub: string; sid: string };
    const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: itemKeys.session(sub, sid),
        UpdateExpression: 'SET factorUsedAt = :at',
        ExpressionAttributeValues: { ':at': Math.floor(Date.now() / 1000) - 601 },
      }),
    );
    const api = consoleApi(stack, operator.accessToken);

    const read = await api.get('/admin/audit');
    const stale = await api.post(`/admin/users/${target.userId}/sign-out`);
    const steppedUp = await api.post('/login-flow/factors/step-up', { otp: await freshCode(operator.factor.secret) });
    const fresh = await api.post(`/admin/users/${target.userId}/sign-out`);

    expect(read.status).toBe(200);
    expect(stale.status).toBe(403);
    expect(stale.body).toMatchObject({ error: 'step_up_required' });
    expect(steppedUp.status).toBe(200);
    expect(fresh.status).toBe(200);
  });

  it('refuses portal-admin routes to a session without a second factor, and opens them with one', async () => {
    const admin = await signUp(stack, { email: PORTAL_ADMIN }, { verified: true });

    const passwordOnly = await consoleApi(stack, admin.accessToken).get('/portal/admin/teams');
    const withFactor = await consoleApi(stack, (await withFactorSignIn(stack.url, admin)).accessToken).get('/portal/admin/teams');

    expect(passwordOnly.status).toBe(403);
    expect(passwordOnly.body.error).toBe('mfa_required');
    expect(withFactor.status).toBe(200);
  });

  it('refuses a user admin removing their last factor (last_factor)', async () => {
    const admin = await withFactorSignIn(stack.url, await signUp(stack, { email: `other.${PORTAL_ADMIN}` }, { verified: true }));
    await grantUserAdmin(stack, admin.userId);

    const removed = await consoleApi(stack, admin.accessToken).delete(`/login-flow/factors/${admin.factor.factorId}`);

    expect(removed.status).toBe(400);
    expect(removed.body.error).toBe('last_factor');
  });

  describe('POST /admin/users/{userId}/factors/reset', () => {
    it('removes every factor of a user who lost them: audited, emailed, the password alone signs in again', async () => {
      const operator = await withFactorSignIn(stack.url, await operatorWithoutFactor());
      const user = await withFactorSignIn(stack.url, await signUp(stack));

      const reset = await consoleApi(stack, operator.accessToken).post(`/admin/users/${user.userId}/factors/reset`);
      const passwordOnly = await post(stack.url, '/login-flow/login', { email: user.email, password: user.password });
      const audit = await consoleApi(stack, operator.accessToken).get(`/admin/audit?userId=${user.userId}`);

      expect(reset.status).toBe(200);
      expect(reset.body).toEqual({ user_id: user.userId, factors_removed: 1 });
      expect(passwordOnly.status).toBe(200);
      expect(audit.body.entries[0]).toMatchObject({ action: 'reset-factors', actor_id: operator.userId });
      expect(stack.outbox().filter((mail) => mail.to === user.email && /were reset/.test(mail.subject))).toHaveLength(1);
    });

    it("refuses a user admin resetting another admin's factors or their own, and an anonymous caller", async () => {
      const operator = await withFactorSignIn(stack.url, await operatorWithoutFactor());
      const otherOperator = await withFactorSignIn(stack.url, await operatorWithoutFactor());

      const other = await consoleApi(stack, operator.accessToken).post(`/admin/users/${otherOperator.userId}/factors/reset`);
      const own = await consoleApi(stack, operator.accessToken).post(`/admin/users/${operator.userId}/factors/reset`);
      const anonymous = await call(stack.url, 'POST', `/admin/users/${operator.userId}/factors/reset`);

      expect(other.status).toBe(403);
      expect(other.body.formError).toMatch(/portal admin/);
      expect(own.status).toBe(403);
      expect(anonymous.status).toBe(401);
    });
  });
});
