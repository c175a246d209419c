/**
 * `npm start`: the local stack on http://127.0.0.1:3000 (PORT), data kept in
 * .local/ (DATA_DIR). Settings from the environment, then .env.local and .env; see
 * .env.example. Ctrl-C stops DynamoDB Local too.
 */
import { existsSync } from 'node:fs';
import { ROUTES } from '../lambdas/routes';
import { seedDemoAccounts } from './seed';
import { startLocalStack } from './stack';

// .env.local first (the name the portal template's guide uses; a value already set is never replaced), then .env.
for (const file of ['.env.local', '.env']) if (existsSync(file)) process.loadEnvFile(file);
// A development stack: the login page may show operators their setup notes.
process.env.SHOW_SETUP_HINTS ??= 'true';

const flag = (value: string | undefined) => ['1', 'true', 'yes'].includes((value ?? '').toLowerCase());

async function main(): Promise<void> {
  const stack = await startLocalStack({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? '127.0.0.1',
    dataDir: process.env.DATA_DIR ?? '.local',
    inMemory: flag(process.env.IN_MEMORY) || process.argv.includes('--in-memory'),
    dynamoDbEndpoint: process.env.DYNAMODB_ENDPOINT || undefined,
    tableName: process.env.TABLE_NAME || undefined,
    publicBaseUrl: process.env.PUBLIC_BASE_URL || undefined,
    outboxDir: process.env.OUTBOX_DIR || undefined,
    signingKeyFile: process.env.SIGNING_KEY_FILE || undefined,
  });

  console.log(`LoginBridge local stack listening on ${stack.url}`);
  console.log(`  DynamoDB:  ${stack.dynamoDbEndpoint} (table ${stack.tableName})`);
  console.log(`  Outbox:    ${stack.outboxDir}`);
  console.log(`  Keys:      ${stack.signingKeyFile}`);
  for (const partner of stack.partners) console.log(`  ${partner.describe}`);
  if (flag(process.env.SEED) || process.argv.includes('--seed')) {
    const accounts = await seedDemoAccounts(stack, process.env.DATA_DIR ?? '.local');
    console.log('\nDemo accounts (local stack only; the operator is a portal admin and a user admin and is asked to add a second factor):');
    for (const account of accounts) console.log(`  ${account.role.padEnd(8)} ${account.email}  password ${account.password}`);
  }
  console.log(`\nOpen ${stack.url}/ first: the home page links to every page (create an account, then read its email in the outbox).\n`);
  console.log('Routes:');
  for (const route of ROUTES) console.log(`  ${route.method.padEnd(6)} ${stack.url}${route.path}  ${route.summary}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack`);
    await stack.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
