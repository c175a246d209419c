import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { FileKeySource, publicKeyFileFor } from '../lambdas/adapters/keys/file-key-source';
import { TEAM_CLEANUP_ACCESS } from '../lambdas/routes';
import { type RunningDynamoDb, startDynamoDbLocal } from './dynamodb-local';
import { LOCAL_PARTNERS, type RunningPartner } from './partners';
import { createLocalServer, type LocalServerOptions } from './server';
import { ensureTable } from './table';
import { withTableAccess } from './table-access';

/** The scheduled team clean-up's handler, loaded on first use like the route handlers. */
async function runTeamCleanup(): Promise<unknown> {
  const { handler } = await import('../lambdas/handlers/ops/team-cleanup');
  return withTableAccess('ops/team-cleanup', TEAM_CLEANUP_ACCESS.table, () => handler());
}

export interface LocalStackOptions {
  port?: number;
  host?: string;
  /** Where data lives across restarts (DynamoDB files, signing keys, outbox). */
  dataDir?: string;
  /** Keep DynamoDB in memory: a throwaway store. */
  inMemory?: boolean;
  /** Use this DynamoDB instead of starting DynamoDB Local. */
  dynamoDbEndpoint?: string;
  tableName?: string;
  publicBaseUrl?: string;
  outboxDir?: string;
  signingKeyFile?: string;
  /** Extra handler settings (token lifetimes, limits, ...), applied to process.env. */
  env?: Record<string, string>;
  server?: LocalServerOptions;
  /** Start simulators for partners without credentials (default true). */
  simulators?: boolean;
  /** How often the scheduled team clean-up runs, as EventBridge runs it in AWS; 0: never (tests run it themselves). Default 300. */
  teamCleanupIntervalSeconds?: number;
}

export interface LocalStack {
  url: string;
  port: number;
  dynamoDbEndpoint: string;
  tableName: string;
  outboxDir: string;
  signingKeyFile: string;
  /** The HMAC key rings (current and previous key): refresh-token successors, invitation links. */
  refreshKeyFile: string;
  invitationKeyFile: string;
  /** Simulators started for partners that had no credentials. */
  partners: { name: string; describe: string; env: Record<string, string> }[];
  stop(): Promise<void>;
}

/**
 * The local stack: DynamoDB Local (unless an endpoint is given), the table as
 * the CDK stack defines it, a signing key kept on disk, an outbox folder for
 * email, and the route table's handlers behind a local API Gateway.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir ?? '.local');
  const tableName = options.tableName ?? 'loginbridge-local';
  const outboxDir = resolve(options.outboxDir ?? join(dataDir, 'outbox'));
  const signingKeyFile = resolve(options.signingKeyFile ?? join(dataDir, 'signing-keys.json'));

  let dynamo: RunningDynamoDb | undefined;
  const partners: (RunningPartner & { name: string })[] = [];
  const dynamoDbEndpoint =
    options.dynamoDbEndpoint ?? (dynamo = await startDynamoDbLocal(options.inMemory ? {} : { dataDir: join(dataDir, 'dynamodb') })).endpoint;
  try {
    await ensureTable(dynamoDbEndpoint, tableName);
    // Makes the key set (and its public document) on first start, before any handler verifies a token.
    await new FileKeySource(signingKeyFile).get();
    const server = createLocalServer(options.server);
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', () => done());
    });
    const port = (server.address() as AddressInfo).port;
    const url = `http://${options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1'}:${port}`;

    if (options.simulators ?? true) {
      const configuredEnv = { ...process.env, ...options.env };
      for (const partner of LOCAL_PARTNERS) {
        if (!partner.configured(configuredEnv))
          partners.push({ name: partner.name, ...(await partner.start({ publicBaseUrl: options.publicBaseUrl ?? process.env.PUBLIC_BASE_URL ?? url })) });
      }
    }

    // The handlers read their configuration from the environment, as in Lambda.
    Object.assign(process.env, {
      ...Object.assign({}, ...partners.map((partner) => partner.env)),
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: dynamoDbEndpoint,
      SIGNING_KEY_FILE: signingKeyFile,
      // Verifying handlers read only the public document next to it (as deployed functions read only the public secret).
      VERIFY_KEYS_FILE: publicKeyFileFor(signingKeyFile),
      REFRESH_KEY_FILE: process.env.REFRESH_KEY_FILE ?? join(dataDir, 'refresh-token-key'),
      INVITATION_KEY_FILE: process.env.INVITATION_KEY_FILE ?? join(dataDir, 'invitation-key'),
      FACTOR_KEY_FILE: process.env.FACTOR_KEY_FILE ?? join(dataDir, 'factor-key'),
      OUTBOX_DIR: outboxDir,
      PUBLIC_BASE_URL: options.publicBaseUrl ?? process.env.PUBLIC_BASE_URL ?? url,
      AWS_REGION: process.env.AWS_REGION ?? 'us-east-1',
      // DynamoDB Local is a JVM sharing this machine's cores with argon2: give it more time than AWS needs.
      DYNAMODB_CONNECT_TIMEOUT_MS: process.env.DYNAMODB_CONNECT_TIMEOUT_MS ?? '2000',
      DYNAMODB_REQUEST_TIMEOUT_MS: process.env.DYNAMODB_REQUEST_TIMEOUT_MS ?? '5000',
      // EMF lines are for CloudWatch; locally they would only bury the logs (set to false to see them).
      POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED ?? 'true',
      ...options.env,
    });

    const cleanupEvery = options.teamCleanupIntervalSeconds ?? 300;
    const cleanupTimer = cleanupEvery > 0 ? setInterval(() => void runTeamCleanup().catch(() => undefined), cleanupEvery * 1000).unref() : undefined;

    return {
      url,
      port,
      dynamoDbEndpoint,
      tableName,
      outboxDir,
      signingKeyFile,
      refreshKeyFile: process.env.REFRESH_KEY_FILE as string,
      invitationKeyFile: process.env.INVITATION_KEY_FILE as string,
      partners: partners.map(({ name, describe, env }) => ({ name, describe, env })),
      stop: async () => {
        if (cleanupTimer) clearInterval(cleanupTimer);
        server.closeAllConnections();
        await new Promise<void>((done) => server.close(() => done()));
        await Promise.all(partners.map((partner) => partner.stop()));
        await dynamo?.stop();
      },
    };
  } catch (error) {
    await Promise.all(partners.map((partner) => partner.stop()));
    await dynamo?.stop();
    throw error;
  }
}
