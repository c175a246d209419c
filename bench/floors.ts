/**
 * The floors the HTTP figures are compared with, measured in the same run on
 * the same machine: what argon2 alone can do, and what DynamoDB Local alone
 * takes for the item operations of one refresh.
 */

import { performance } from 'node:perf_hooks';
import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Argon2Hasher, OWASP_ARGON2ID } from '../lambdas/adapters/argon2-hasher';
import { itemKeys } from '../lambdas/adapters/dynamo/table-design';
import { randomToken, sha256 } from '../lambdas/core/random';
import { parseRefreshToken } from '../lambdas/core/sessions';
import { type LatencySummary, summarize } from './stats';

export interface RateFloor {
  concurrency: number;
  operations: number;
  perSecond: number;
  latency: LatencySummary;
}

/** Runs `operation` from `concurrency` loops until `durationMs` has passed; returns rate and latencies. */
export async function closedLoop(concurrency: number, durationMs: number, operation: (worker: number) => Promise<void>): Promise<RateFloor> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async (_unused, worker) => {
      while (performance.now() < deadline) {
        const begin = performance.now();
        await operation(worker);
        latencies.push(performance.now() - begin);
      }
    }),
  );
  const elapsedSeconds = (performance.now() - started) / 1000;
  return { concurrency, operations: latencies.length, perSecond: latencies.length / elapsedSeconds, latency: summarize(latencies) };
}

/**
 * argon2id verifications per second with the same hasher and OWASP parameters
 * the login function uses, called from this process exactly as the server
 * calls it: @node-rs/argon2 runs each verification as an async task on libuv's
 * threadpool. Keeping `concurrency` (the pool size) verifications in flight
 * uses every thread the server's own logins could use, so this is the most
 * verifications the server process can do; more in flight only queue.
 */
export async function argon2VerifyFloor(password: string, concurrency: number, durationMs: number): Promise<RateFloor> {
  const hasher = new Argon2Hasher(OWASP_ARGON2ID);
  const hash = await hasher.hash(password);
  return closedLoop(concurrency, durationMs, async () => {
    if (!(await hasher.verify(hash, password))) throw new Error('argon2 floor: the verification failed');
  });
}

interface FloorSession {
  userId: string;
  familyId: string;
}

/**
 * One refresh's item operations on DynamoDB Local, issued directly with the
 * SDK and nothing else: the one conditional UpdateItem that rotates the
 * family (the same expressions and attribute sizes as
 * DynamoAccountStore.rotateSession). `refreshTokens` are real sessions of
 * real accounts set aside for the floor; each loop rotates only its own
 * share, so the loops never contend.
 */
/** The current hash of each floor session, kept across floor rounds (each round rotates them further). */
const floorCurrentHashes = new Map<string, string>();

export async function dynamoRefreshFloor(
  db: DynamoDBDocumentClient,
  tableName: string,
  refreshTokens: string[],
  concurrency: number,
  durationMs: number,
): Promise<RateFloor> {
  const sessions = refreshTokens.map(parseRefreshToken).filter((session): session is FloorSession => !!session);
  if (sessions.length < concurrency) throw new Error(`DynamoDB floor: ${sessions.length} sessions for ${concurrency} loops`);
  // Disjoint shares (session i belongs to loop i % concurrency), each loop cycling through its own.
  const shares = Array.from({ length: concurrency }, (_unused, worker) => sessions.filter((_session, index) => index % concurrency === worker));
  const cursor = shares.map(() => 0);
  for (const token of refreshTokens) {
    const id = token.split('.').slice(0, 2).join('.');
    if (!floorCurrentHashes.has(id)) floorCurrentHashes.set(id, sha256(token));
  }
  const current = floorCurrentHashes;
  return closedLoop(concurrency, durationMs, async (worker) => {
    const session = shares[worker][cursor[worker]++ % shares[worker].length];
    const id = `${session.userId}.${session.familyId}`;
    const presented = current.get(id) as string;
    const next = sha256(randomToken(32));
    const now = Math.floor(Date.now() / 1000);
    await db.send(
      new UpdateCommand({
        TableName: tableName,
        Key: itemKeys.session(session.userId, session.familyId),
        UpdateExpression:
          'SET currentHash = :next, previousHash = :presented, rotatedAt = :now, lastUsedAt = :now, expiresAt = :expiresAt REMOVE rotatedHashes',
        ConditionExpression: 'currentHash = :presented AND absoluteExpiresAt > :now AND lastUsedAt > :idleCutoff',
        ExpressionAttributeValues: {
          ':next': next,
          ':presented': presented,
          ':now': now,
          ':idleCutoff': now - 7 * 24 * 3600,
          ':expiresAt': now + 7 * 24 * 3600,
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    current.set(id, next);
  });
}

/**
 * A login without HTTP, middy, zod or jose: the same three DynamoDB requests
 * as LoginFlow.login (a TransactWriteItems that counts the account and
 * client-IP counters, beside a consistent GetItem of the credential; then the
 * TransactWriteItems that starts the session: Put, ConditionChecks on the
 * profile and the credential, and the counters' release) around one argon2
 * verification. On this machine DynamoDB Local runs on the same two cores as
 * argon2, so this, not argon2 alone, is the most logins per second the
 * hardware allows; the HTTP figure over it is what the server itself costs.
 */
export async function bareLoginFloor(
  db: DynamoDBDocumentClient,
  tableName: string,
  emails: string[],
  password: string,
  concurrency: number,
  durationMs: number,
): Promise<RateFloor> {
  if (!emails.length) throw new Error('login floor: no accounts');
  const hasher = new Argon2Hasher(OWASP_ARGON2ID);
  let next = 0;
  return closedLoop(concurrency, durationMs, async () => {
    const email = emails[next++ % emails.length];
    const now = Math.floor(Date.now() / 1000);
    const windowEnd = (Math.floor(now / 900) + 1) * 900;
    const accountKey = itemKeys.throttle(`login#acct#${email}`);
    const ipKey = itemKeys.throttle(`login#ip#127.0.0.1#${Math.floor(now / 900)}`);
    const count = (Key: Record<string, string>, expiresAt: number) => ({
      Update: {
        TableName: tableName,
        Key,
        UpdateExpression: 'SET #count = if_not_exists(#count, :zero) + :one, lastAt = :now, expiresAt = :expiresAt',
        ExpressionAttributeNames: { '#count': 'count' },
        ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':now': now, ':expiresAt': expiresAt },
      },
    });
    const [, { Item: credential }] = await Promise.all([
      db.send(new TransactWriteCommand({ TransactItems: [count(ipKey, windowEnd), count(accountKey, now + 86_400)] })),
      db.send(new GetCommand({ TableName: tableName, Key: itemKeys.credential(email), ConsistentRead: true })),
    ]);
    if (!credential || !(await hasher.verify(credential.passwordHash as string, password))) throw new Error('login floor: the verification failed');
    const userId = credential.userId as string;
    const familyId = randomToken(16);
    const session = {
      ...itemKeys.session(userId, familyId),
      type: 'session',
      userId,
      familyId,
      currentHash: sha256(randomToken(32)),
      createdAt: now,
      lastUsedAt: now,
      absoluteExpiresAt: now + 30 * 24 * 3600,
      expiresAt: now + 7 * 24 * 3600,
    };
    await db.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: tableName, Item: session, ConditionExpression: 'attribute_not_exists(pk)' } },
          { ConditionCheck: { TableName: tableName, Key: itemKeys.profile(userId), ConditionExpression: 'attribute_exists(pk)' } },
          {
            ConditionCheck: {
              TableName: tableName,
              Key: itemKeys.credential(email),
              ConditionExpression: 'passwordHash = :hash',
              ExpressionAttributeValues: { ':hash': credential.passwordHash },
            },
          },
          { Delete: { TableName: tableName, Key: accountKey } },
          {
            Update: {
              TableName: tableName,
              Key: ipKey,
              UpdateExpression: 'SET #count = if_not_exists(#count, :one) - :one',
              ExpressionAttributeNames: { '#count': 'count' },
              ExpressionAttributeValues: { ':one': 1 },
            },
          },
        ],
      }),
    );
  });
}
