/** Shared steps of the SSO integration and browser tests. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../../../lambdas/adapters/dynamo/client';
import { itemKeys } from '../../../lambdas/adapters/dynamo/table-design';
import { FileKeySource } from '../../../lambdas/adapters/keys/file-key-source';
import { AccessTokens } from '../../../lambdas/core/access-tokens';
import type { LocalStack } from '../../../local/stack';
import { post, registration } from '../../support/http';
import { verifyEmail } from '../../support/verification';

export interface SignedUpUser {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
}

/** Registers a user over HTTP and confirms their email through the emailed link (`verified: false` leaves it unconfirmed). */
export async function signUp(stack: LocalStack, overrides: Record<string, unknown> = {}, options: { verified?: boolean } = {}): Promise<SignedUpUser> {
  const body = registration(overrides);
  const response = await post(stack.url, '/login-flow/register', body);
  if (response.status !== 200) throw new Error(`registration failed: ${response.status} ${response.text}`);
  const accessToken = response.body.access_token as string;
  if (options.verified ?? true) await verifyEmail(stack, String(body.email));
  return { email: String(body.email), password: String(body.password), userId: String(decodeJwt(accessToken).sub), accessToken };
}

/** Sets `attributes` on the user record, as an operator (or the portal) would. */
export async function setAttributes(stack: LocalStack, userId: string, attributes: Record<string, unknown>): Promise<void> {
  const db = createDocumentClient({ endpoint: stack.dynamoDbEndpoint, region: 'us-east-1' });
  await db.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: itemKeys.profile(userId),
      UpdateExpression: 'SET attributes = :attributes',
      ExpressionAttributeValues: { ':attributes': attributes },
    }),
  );
}

/** A correctly signed access token that expired an hour ago. */
export async function expiredAccessToken(stack: LocalStack, userId: string): Promise<string> {
  const tokens = new AccessTokens(
    new FileKeySource(stack.signingKeyFile),
    { issuer: stack.url, audience: 'loginbridge', ttlSeconds: 60 },
    { now: () => Date.now() - 3600_000 },
  );
  return (await tokens.issue(userId, 'session-1')).token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/**
 * Starts capturing what the handlers log: console calls and raw writes to
 * stdout/stderr (a structured logger may write to the streams directly).
 * The stack must run with LOG_LEVEL=INFO. Returns a function that stops
 * capturing and returns the text.
 */
export function captureLogs(): () => string {
  const lines: string[] = [];
  const keep = (...args: unknown[]) =>
    void lines.push(args.map((arg) => (typeof arg === 'string' ? arg : Buffer.isBuffer(arg) ? arg.toString('utf8') : String(arg))).join(' '));
  const spies = [
    jest.spyOn(console, 'log').mockImplementation(keep),
    jest.spyOn(console, 'info').mockImplementation(keep),
    jest.spyOn(console, 'warn').mockImplementation(keep),
    jest.spyOn(console, 'error').mockImplementation(keep),
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => (keep(chunk), true)),
  ];
  return () => {
    for (const spy of spies) spy.mockRestore();
    return lines.join('\n');
  };
}
