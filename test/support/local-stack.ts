import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '../../local/stack';

export interface TestStack extends LocalStack {
  /** Emails written to the outbox so far, oldest first. */
  outbox(): { to: string; subject: string; text: string; html: string; links: string[] }[];
}

let counter = 0;

/**
 * A local stack for one test file: the real handlers behind real HTTP, on a
 * free port, against the run's DynamoDB Local with a fresh table, its own
 * signing key and outbox in a temporary folder.
 */
export async function startTestStack(options: LocalStackOptions = {}): Promise<TestStack> {
  const endpoint = process.env.TEST_DYNAMODB_ENDPOINT;
  if (!endpoint) throw new Error('TEST_DYNAMODB_ENDPOINT is not set: run the tests through jest (test/support/global-setup.ts).');
  const dataDir = mkdtempSync(join(tmpdir(), 'loginbridge-test-'));
  counter += 1;
  const stack = await startLocalStack({
    port: 0,
    dataDir,
    dynamoDbEndpoint: endpoint,
    tableName: `test-${process.pid}-${counter}-${Date.now()}`,
    // Tests run the scheduled clean-up themselves, when they mean to.
    teamCleanupIntervalSeconds: 0,
    ...options,
    // Lazy migration off unless a test sets it up: forwarding unknown emails changes the timing the login tests measure.
    env: { LOG_LEVEL: 'SILENT', RESET_RESPONSE_FLOOR_MS: '0', LEGACY_LOGIN_URL: '', ...options.env },
  });
  return {
    ...stack,
    outbox: () =>
      readdirSync(stack.outboxDir, { withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
        .map((entry) => entry.name)
        .sort()
        .map((name) => JSON.parse(readFileSync(join(stack.outboxDir, name), 'utf8'))),
  };
}
