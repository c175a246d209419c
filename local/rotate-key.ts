/**
 * `npm run rotate-key`: one rotation of the local signing key set, exactly as
 * the deployed rotation function does it (next -> current -> previous). Tokens
 * already issued keep verifying; new tokens carry the new current `kid`. The
 * running local stack picks the new set up on its next unknown `kid` or restart.
 *
 * `npm run rotate-key -- refresh` and `npm run rotate-key -- invitation`
 * rotate the refresh-token key or the invitation key instead (a new current
 * key, the old one kept as previous), as their deployed rotation functions do;
 * the local stack reads them at every use.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileKeySource } from '../lambdas/adapters/keys/file-key-source';
import { FileHmacKeyRing } from '../lambdas/adapters/keys/hmac-key-ring';

if (existsSync('.env')) process.loadEnvFile('.env');

const dataDir = process.env.DATA_DIR ?? '.local';
const HMAC_KEYS: Record<string, string> = {
  refresh: process.env.REFRESH_KEY_FILE ?? join(dataDir, 'refresh-token-key'),
  invitation: process.env.INVITATION_KEY_FILE ?? join(dataDir, 'invitation-key'),
};

async function main(which = 'signing'): Promise<void> {
  const hmacFile = HMAC_KEYS[which];
  if (hmacFile) {
    new FileHmacKeyRing(hmacFile).rotate();
    console.log(`Rotated ${hmacFile}: a new current key; the old one is kept as previous until the next rotation`);
    return;
  }
  if (which !== 'signing') throw new Error('Usage: npm run rotate-key [-- signing|refresh|invitation]');
  const file = process.env.SIGNING_KEY_FILE ?? join(dataDir, 'signing-keys.json');
  const set = await new FileKeySource(file).rotate();
  console.log(`Rotated ${file}: next ${set.keys[0].kid}, current ${set.keys[1].kid}, previous ${set.keys[2]?.kid ?? '-'}`);
}

main(process.argv[2]).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
