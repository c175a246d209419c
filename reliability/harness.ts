import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client';
import { itemKeys } from '../lambdas/adapters/dynamo/table-design';
import { freePort, type RunningDynamoDb, startDynamoDbLocal } from '../local/dynamodb-local';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../local/stack';

/** A part of the suite: what it tried, what held, and what did not. */
export class Part {
  readonly tried: string[] = [];
  readonly held: string[] = [];
  readonly failed: string[] = [];

  constructor(readonly name: string) {}

  note(what: string): void {
    this.tried.push(what);
  }

  check(ok: boolean, what: string): void {
    (ok ? this.held : this.failed).push(what);
  }

  absorb(result: { held: string[]; failed: string[] }): void {
    this.held.push(...result.held);
    this.failed.push(...result.failed);
  }
}

/**
 * The stack under test with a DynamoDB Local the suite owns: on disk (so a
 * kill and restart keeps the data) on a fixed port (so the stack reconnects).
 */
export interface Harness {
  stack: LocalStack;
  dynamo: RunningDynamoDb;
  dataDir: string;
  killDynamo(): Promise<void>;
  restartDynamo(): Promise<void>;
  scanTable(): Promise<Record<string, any>[]>;
  /**
   * Marks an address verified, as its owner's click on the emailed link
   * would (that flow has its own integration tests): the hand-offs under load
   * need a verified address, and reading the outbox per client would not scale.
   */
  markVerified(email: string): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(options: LocalStackOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loginbridge-reliability-'));
  const port = await freePort();
  let dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), port });
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoDbEndpoint: dynamo.endpoint,
    ...options,
    env: { LOG_LEVEL: 'SILENT', LEGACY_LOGIN_URL: '', ...options.env },
  });
  const db = createDocumentClient({ endpoint: dynamo.endpoint, region: 'us-east-1' });
  const harness: Harness = {
    stack,
    get dynamo() {
      return dynamo;
    },
    dataDir,
    killDynamo: () => dynamo.stop(),
    restartDynamo: async () => {
      dynamo = await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb'), port });
    },
    scanTable: async () => {
      const items: Record<string, any>[] = [];
      let start: Record<string, any> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: stack.tableName, ExclusiveStartKey: start, ConsistentRead: true }));
        items.push(...(page.Items ?? []));
        start = page.LastEvaluatedKey;
      } while (start);
      return items;
    },
    markVerified: async (email: string) => {
      const credential = await db.send(new GetCommand({ TableName: stack.tableName, Key: itemKeys.credential(email), ConsistentRead: true }));
      const userId = credential.Item?.userId as string | undefined;
      if (!userId) return;
      await db.send(
        new UpdateCommand({
          TableName: stack.tableName,
          Key: itemKeys.profile(userId),
          UpdateExpression: 'SET emailVerifiedAt = if_not_exists(emailVerifiedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': new Date().toISOString() },
        }),
      );
    },
    stop: async () => {
      await stack.stop();
      await dynamo.stop();
    },
  };
  return harness;
}

/** Table invariants after any run: one claim per user and email, nothing orphaned, nothing lost or duplicated. */
export function checkInvariants(items: Record<string, any>[], expectedEmails: Set<string>): { held: string[]; failed: string[] } {
  const held: string[] = [];
  const failed: string[] = [];
  const credentials = items.filter((item) => item.sk === 'CREDENTIAL');
  const profiles = items.filter((item) => item.sk === 'PROFILE');
  const sessions = items.filter((item) => String(item.sk).startsWith('SESSION#'));
  const profileById = new Map(profiles.map((profile) => [profile.id, profile]));
  const credentialByEmail = new Map(credentials.map((credential) => [credential.email, credential]));

  const emailsOfProfiles = profiles.map((profile) => profile.email);
  const duplicated = emailsOfProfiles.length - new Set(emailsOfProfiles).size;
  (duplicated === 0 ? held : failed).push(`no email belongs to two accounts (${profiles.length} accounts, ${duplicated} duplicated)`);

  const claimMismatch = profiles.filter((profile) => credentialByEmail.get(profile.email)?.userId !== profile.id).length;
  (claimMismatch === 0 ? held : failed).push(`every account has exactly its one email claim (${claimMismatch} without)`);

  const orphanClaims = credentials.filter((credential) => profileById.get(credential.userId)?.email !== credential.email).length;
  (orphanClaims === 0 ? held : failed).push(`every email claim has its account (${orphanClaims} orphaned)`);

  const orphanSessions = sessions.filter((session) => !profileById.has(session.userId)).length;
  (orphanSessions === 0 ? held : failed).push(`no refresh family without its user (${sessions.length} families, ${orphanSessions} orphaned)`);

  const present = new Set(emailsOfProfiles);
  const lost = [...expectedEmails].filter((email) => !present.has(email)).length;
  const unexpected = [...present].filter((email) => !expectedEmails.has(email)).length;
  (lost === 0 ? held : failed).push(`no account lost (${expectedEmails.size} expected, ${lost} missing)`);
  (unexpected === 0 ? held : failed).push(`no account that should be gone is left (${unexpected} unexpected)`);
  return { held, failed };
}

export async function request(url: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}, timeoutMs = 30_000) {
  const started = performance.now();
  try {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.status, json, text, ms: performance.now() - started, headers: response.headers };
  } catch (error) {
    return { status: 0, json: undefined, text: String(error), ms: performance.now() - started, headers: new Headers() };
  }
}

export const median = (values: number[]) => (values.length ? [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] : NaN);
export const percentile = (values: number[], p: number) =>
  values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] : NaN;
