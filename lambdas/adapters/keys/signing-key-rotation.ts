import {
  DescribeSecretCommand,
  type DescribeSecretCommandOutput,
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
  PutSecretValueCommand,
  type PutSecretValueCommandOutput,
  UpdateSecretVersionStageCommand,
  type UpdateSecretVersionStageCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { type Clock, systemClock } from '../../core/clock';
import { RotationError } from '../../core/errors';
import { type KeySet, parseKeySet, publicJwks, publicKeySet, rotateKeySet, SIGNING_ALGORITHM } from '../../core/key-set';
import { log } from '../../http/log';

/** The Secrets Manager calls rotation makes; the SDK client fits, and tests pass an in-memory fake. */
export interface RotationClient {
  send(command: DescribeSecretCommand): Promise<DescribeSecretCommandOutput>;
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
  send(command: PutSecretValueCommand): Promise<PutSecretValueCommandOutput>;
  send(command: UpdateSecretVersionStageCommand): Promise<UpdateSecretVersionStageCommandOutput>;
}

export { RotationError } from '../../core/errors';

export const CURRENT = 'AWSCURRENT';
export const PENDING = 'AWSPENDING';

/**
 * Rotates the signing key set with Secrets Manager's four-step protocol.
 *
 * - `createSecret`: the next key set (`rotateKeySet` of AWSCURRENT: a new next
 *   key, next -> current, current -> previous) is stored as AWSPENDING under
 *   the rotation's token. Before the first rotation AWSCURRENT holds only the
 *   stack's placeholder, so a fresh set is made: this is how a deployment
 *   provisions the first key without key material in the template.
 * - `setSecret`: nothing to do; no other service holds the key.
 * - `testSecret`: every key of the pending set signs a token that its public
 *   JWK verifies, and the new current key is the key published as next.
 * - `finishSecret`: the public-keys-only document (`publicKeysSecretId`, what
 *   every verifying function reads) is written with the pending set's public
 *   keys, then AWSCURRENT moves to the pending version. Publishing first means
 *   no verifier can meet a kid that signs but is not published.
 *
 * Every step is idempotent, since Secrets Manager retries steps.
 */
export function createRotationHandler(client: RotationClient, clock: Clock = systemClock, publicKeysSecretId?: string) {
  return secretsManagerRotation(client, 'signing key rotation', {
    createSecret: (secretId, token) => createSecret(client, secretId, token, clock),
    testSecret: (secretId, token) => testSecret(client, secretId, token),
    finishSecret: (secretId, token, description) => finishSecret(client, secretId, token, description, publicKeysSecretId),
  });
}

/** The three steps of a rotation that do something (`setSecret` has nothing to do: no other service holds these keys). */
export interface RotationSteps {
  createSecret(secretId: string, token: string): Promise<void>;
  testSecret(secretId: string, token: string): Promise<void>;
  finishSecret(secretId: string, token: string, description: DescribeSecretCommandOutput): Promise<void>;
}

/**
 * Secrets Manager's rotation event, checked and dispatched: the secret must
 * have rotation on and `ClientRequestToken` must be its pending version (a
 * version already current means a retried, finished rotation: nothing to do).
 */
export function secretsManagerRotation(client: RotationClient, label: string, steps: RotationSteps) {
  return async (event: SecretsManagerRotationEvent): Promise<void> => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const description = await client.send(new DescribeSecretCommand({ SecretId: secretId }));
    if (description.RotationEnabled === false) throw new RotationError(`Rotation is not enabled for ${secretId}.`);
    const stages = description.VersionIdsToStages?.[token];
    if (!stages) throw new RotationError(`Version ${token} is not a version of ${secretId}.`);
    if (stages.includes(CURRENT)) {
      log.info(`${label}: version already current`, { step, versionId: token });
      return;
    }
    if (!stages.includes(PENDING)) throw new RotationError(`Version ${token} of ${secretId} is not pending rotation.`);

    switch (step) {
      case 'createSecret':
        return steps.createSecret(secretId, token);
      case 'setSecret':
        return;
      case 'testSecret':
        return steps.testSecret(secretId, token);
      case 'finishSecret':
        return steps.finishSecret(secretId, token, description);
      default:
        throw new RotationError(`Unknown rotation step ${String(step)}.`);
    }
  };
}

/** Moves AWSCURRENT to the pending version (the rotation's last act). */
export async function promotePending(
  client: RotationClient,
  secretId: string,
  token: string,
  description: DescribeSecretCommandOutput,
  label: string,
): Promise<void> {
  const currentVersion = Object.entries(description.VersionIdsToStages ?? {}).find(([, stages]) => stages.includes(CURRENT))?.[0];
  await client.send(
    new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: CURRENT,
      MoveToVersionId: token,
      ...(currentVersion ? { RemoveFromVersionId: currentVersion } : {}),
    }),
  );
  log.info(`${label}: finished`, { versionId: token, previousVersionId: currentVersion });
}

async function createSecret(client: RotationClient, secretId: string, token: string, clock: Clock): Promise<void> {
  if (await readSecret(client, secretId, { VersionId: token, VersionStage: PENDING })) {
    log.info('signing key rotation: pending version exists', { versionId: token });
    return;
  }
  const current = parseKeySet(await readSecret(client, secretId, { VersionStage: CURRENT }));
  const next = await rotateKeySet(current, new Date(clock.now()));
  await client.send(new PutSecretValueCommand({ SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify(next), VersionStages: [PENDING] }));
  log.info('signing key rotation: pending key set created', { versionId: token, kids: next.keys.map((key) => key.kid), firstKeySet: !current });
}

async function testSecret(client: RotationClient, secretId: string, token: string): Promise<void> {
  const pending = parseKeySet(await readSecret(client, secretId, { VersionId: token, VersionStage: PENDING }));
  if (!pending) throw new RotationError(`The pending version ${token} is not a valid key set.`);
  await assertKeysWork(pending);
  const current = parseKeySet(await readSecret(client, secretId, { VersionStage: CURRENT }));
  // A key must be published (as next) for a whole period before it signs, or verifiers with a cached JWKS would reject its tokens.
  if (current && pending.keys[1].kid !== current.keys[0].kid) {
    throw new RotationError('The pending key set does not promote the published next key to current.');
  }
}

async function finishSecret(
  client: RotationClient,
  secretId: string,
  token: string,
  description: DescribeSecretCommandOutput,
  publicKeysSecretId?: string,
): Promise<void> {
  if (publicKeysSecretId) {
    const pending = parseKeySet(await readSecret(client, secretId, { VersionId: token, VersionStage: PENDING }));
    if (!pending) throw new RotationError(`The pending version ${token} is not a valid key set.`);
    // The rotation's token makes a retried step write the same version again instead of a new one.
    await client.send(
      new PutSecretValueCommand({
        SecretId: publicKeysSecretId,
        ClientRequestToken: token,
        SecretString: JSON.stringify(publicKeySet(pending)),
        VersionStages: [CURRENT],
      }),
    );
    log.info('signing key rotation: public keys published', { versionId: token, kids: pending.keys.map((key) => key.kid) });
  }
  await promotePending(client, secretId, token, description, 'signing key rotation');
}

/** Each private key signs and its published public JWK verifies. */
async function assertKeysWork(set: KeySet): Promise<void> {
  const publicKeys = publicJwks(set).keys;
  for (const [index, stored] of set.keys.entries()) {
    const jwt = await new SignJWT({ test: true })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: stored.kid })
      .sign(await importJWK(stored.privateJwk, SIGNING_ALGORITHM));
    try {
      await jwtVerify(jwt, await importJWK(publicKeys[index], SIGNING_ALGORITHM), { algorithms: [SIGNING_ALGORITHM] });
    } catch {
      throw new RotationError(`Key ${stored.kid} of the pending key set does not verify its own signature.`);
    }
  }
}

export async function readSecret(client: RotationClient, secretId: string, select: { VersionId?: string; VersionStage: string }): Promise<string | undefined> {
  try {
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId, ...select }));
    return SecretString;
  } catch (error) {
    if (error instanceof Error && error.name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}
