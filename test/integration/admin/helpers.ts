/** Shared steps of the operator-console integration and browser tests. */
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { withFactorSignIn } from '../../support/factors';
import { call, type TestResponse } from '../../support/http';
import type { TestStack } from '../../support/local-stack';
import { type PortalUser, signUp as portalSignUp } from '../portal/helpers';

export type { PortalUser };

/** A registered user whose address is not confirmed yet (the console's tests set verification themselves). */
export const signUp = (stack: TestStack, overrides: Record<string, unknown> = {}, options: { verified?: boolean } = {}): Promise<PortalUser> =>
  portalSignUp(stack, overrides, { verified: false, ...options });

function table(stack: TestStack) {
  return createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
}

/** What email verification will set: written directly, since nothing in the API sets it yet. */
export async function markEmailVerified(stack: TestStack, userId: string): Promise<void> {
  await table(stack).send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: itemKeys.profile(userId),
      UpdateExpression: 'SET emailVerifiedAt = :at',
      ExpressionAttributeValues: { ':at': new Date().toISOString() },
    }),
  );
}

/** The documented table command for the first user admin, as the SDK sends it. */
export async function grantUserAdmin(stack: TestStack, userId: string): Promise<void> {
  await grantPermission(stack, userId, 'user-admin');
}

/** A portal permission (`user-admin`, `portal-admin`) on the user's membership, as an accepted admin invitation leaves it. */
export async function grantPermission(stack: TestStack, userId: string, permission: 'user-admin' | 'portal-admin'): Promise<void> {
  await table(stack).send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: itemKeys.portalMembership(userId),
      UpdateExpression: 'ADD #permissions :admin SET userId = :user, #type = :type',
      ExpressionAttributeNames: { '#permissions': 'permissions', '#type': 'type' },
      ExpressionAttributeValues: { ':admin': new Set([permission]), ':user': userId, ':type': 'portal-membership' },
    }),
  );
}

/** What a streak of failed sign-ins leaves behind (the counter the back-off reads), without waiting out the doubling waits. */
export async function lockOut(stack: TestStack, email: string, failures: number): Promise<void> {
  const now = Math.floor(Date.now() / 1000);
  await table(stack).send(
    new PutCommand({
      TableName: stack.tableName,
      Item: { ...itemKeys.throttle(`login#acct#${email.toLowerCase()}`), count: failures, lastAt: now, expiresAt: now + 86400 },
    }),
  );
}

/**
 * A signed-up user holding user-admin with a verified email, signed in again with a second factor (an enrolled
 * authenticator app, `factor`), which the console needs (FACTOR_POLICY_ENFORCED, on by default; docs/security.md).
 * `{ factor: false }`: the password sign-in alone, an admin who has not enrolled yet (refused with `mfa_required`).
 */
export async function signUpOperator(stack: TestStack, overrides: Record<string, unknown> = {}, options: { factor?: boolean } = {}): Promise<PortalUser> {
  const user = await signUp(stack, overrides);
  await markEmailVerified(stack, user.userId);
  await grantUserAdmin(stack, user.userId);
  return options.factor === false ? user : withFactorSignIn(stack.url, user);
}

/** A signed-up portal admin with a verified email (portal admins may use the console, and alone may change partner identities); `factor` as for signUpOperator. */
export async function signUpPortalAdmin(stack: TestStack, overrides: Record<string, unknown> = {}, options: { factor?: boolean } = {}): Promise<PortalUser> {
  const user = await signUp(stack, overrides);
  await markEmailVerified(stack, user.userId);
  await grantPermission(stack, user.userId, 'portal-admin');
  return options.factor === false ? user : withFactorSignIn(stack.url, user);
}

/** An API client for one bearer token. */
export function consoleApi(stack: TestStack, accessToken: string) {
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${accessToken}`, ...extra });
  return {
    get: (path: string): Promise<TestResponse<Record<string, any>>> => call(stack.url, 'GET', path, { headers: headers() }),
    post: (path: string, json?: unknown, extra?: Record<string, string>): Promise<TestResponse<Record<string, any>>> =>
      call(stack.url, 'POST', path, { json, headers: headers(extra) }),
    put: (path: string, json?: unknown): Promise<TestResponse<Record<string, any>>> => call(stack.url, 'PUT', path, { json, headers: headers() }),
    delete: (path: string): Promise<TestResponse<Record<string, any>>> => call(stack.url, 'DELETE', path, { headers: headers() }),
  };
}
