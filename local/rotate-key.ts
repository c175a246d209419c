/**
 * `npm run rotate-key`: one rotation of the local signing key set, exactly as
 * the deployed rotation function does it (next -> current -> previous). Tokens
 * already issued keep verifying; new tokens carry the new current `kid`. The
 * running local stack picks the new set up on its next unknown `kid` or restart.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeySource } from '../lambdas/adapters/keys/file-key-source';

if (existsSync('.env')) process.loadEnvFile('.env');

async function main(): Promise<void> {
  const file = process.env.SIGNING_KEY_FILE ?? join(process.env.DATA_DIR ?? '.local', 'signing-keys.json');
  const set = await new FileKeySource(file).rotate();
  console.log(`Rotated ${file}: next ${set.keys[0].kid}, current ${set.keys[1].kid}, previous ${set.keys[2]?.kid ?? '-'}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
