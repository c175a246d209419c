import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { RotationError } from '../../core/errors';
import { promotesCurrentKey, rotatedHmacKeyRing } from '../../core/hmac-key-ring';
import { randomToken } from '../../core/random';
import { log } from '../../http/log';
import { CURRENT, PENDING, promotePending, type RotationClient, readSecret, secretsManagerRotation } from './signing-key-rotation';

/**
 * Rotates an HMAC key ring (the refresh-token key, the invitation key) with
 * Secrets Manager's four-step protocol, on the same kind of schedule as the
 * signing key:
 *
 * - `createSecret`: a new random key becomes current and the current key
 *   previous (lambdas/core/hmac-key-ring.ts), stored as AWSPENDING. A secret
 *   still holding the plain key the stack generated is read as that key alone.
 * - `setSecret`: nothing; no other service holds the key.
 * - `testSecret`: the pending ring has a new current key and keeps the old
 *   current key as previous, so everything derived before the rotation still
 *   verifies until the next one.
 * - `finishSecret`: AWSCURRENT moves to the pending version. Functions pick
 *   the new ring up within minutes (SecretsManagerHmacKeyRing), and meanwhile
 *   the new ring still accepts what they derive with the old current key.
 *
 * Every step is idempotent, since Secrets Manager retries steps.
 */
export function createHmacKeyRotationHandler(client: RotationClient, label: string) {
  return secretsManagerRotation(client, label, {
    async createSecret(secretId, token) {
      if (await readSecret(client, secretId, { VersionId: token, VersionStage: PENDING })) return;
      const current = await readSecret(client, secretId, { VersionStage: CURRENT });
      const next = rotatedHmacKeyRing(current, randomToken(48));
      await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: next, VersionStages: [PENDING] }));
      log.info(`${label}: pending key ring created`, { versionId: token });
    },
    async testSecret(secretId, token) {
      const pending = await readSecret(client, secretId, { VersionId: token, VersionStage: PENDING });
      const current = await readSecret(client, secretId, { VersionStage: CURRENT });
      if (!promotesCurrentKey(current, pending))
        throw new RotationError('The pending key ring does not keep the current key as previous under a new current key.');
    },
    finishSecret: (secretId, token, description) => promotePending(client, secretId, token, description, label),
  });
}
