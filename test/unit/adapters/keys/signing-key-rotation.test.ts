import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { createLocalJWKSet, importJWK, jwtVerify, SignJWT } from 'jose';
import { createRotationHandler, type RotationClient, RotationError } from '../../../../lambdas/adapters/keys/signing-key-rotation';
import { currentKey, generateStoredKey, type KeySet, parseKeySet, parsePublicKeySet, publicJwks, SIGNING_ALGORITHM } from '../../../../lambdas/core/key-set';

import { FakeSecretsManager } from '../../../support/fakes/secrets-manager';

process.env.LOG_LEVEL = 'SILENT';

const PLACEHOLDER = JSON.stringify({ version: 0, keys: [], placeholder: 'abc' });
const clock = { now: () => Date.parse('2030-01-01T00:00:00Z') };

async function rotate(fake: FakeSecretsManager, token: string): Promise<void> {
  const handler = createRotationHandler(fake as unknown as RotationClient, clock);
  fake.startRotation(token);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
    await handler({ SecretId: 'signing-key', ClientRequestToken: token, Step } satisfies SecretsManagerRotationEvent);
  }
}

const current = (fake: FakeSecretsManager): KeySet => parseKeySet(fake.valueOf('AWSCURRENT')) as KeySet;

describe('Signing key rotation (Secrets Manager rotation function)', () => {
  it('provisions a fresh next and current key from the placeholder on the first rotation', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);

    // Act
    await rotate(fake, 'token-1');

    // Assess
    const set = current(fake);
    expect(set.keys).toHaveLength(2);
    expect(fake.versions.get('token-1')?.stages).toEqual(new Set(['AWSCURRENT']));
    expect(fake.versions.get('v0')?.stages).toEqual(new Set(['AWSPREVIOUS']));
    expect(new Set(set.keys.map((key) => key.kid)).size).toBe(2);
  });

  it('promotes next to current and keeps the old current as previous', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    await rotate(fake, 'token-1');
    const before = current(fake);

    // Act
    await rotate(fake, 'token-2');

    // Assess
    const after = current(fake);
    expect(after.keys.map((key) => key.kid)).toEqual([expect.any(String), before.keys[0].kid, before.keys[1].kid]);
    expect(before.keys.map((key) => key.kid)).not.toContain(after.keys[0].kid);
  });

  it('keeps tokens signed before a rotation verifiable with the JWKS published after it', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    await rotate(fake, 'token-1');
    const signer = currentKey(current(fake));
    const token = await new SignJWT({ sub: 'user' })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signer.kid })
      .sign(await importJWK(signer.privateJwk, SIGNING_ALGORITHM));

    // Act
    await rotate(fake, 'token-2');
    const { payload } = await jwtVerify(token, createLocalJWKSet(publicJwks(current(fake))));

    // Assess
    expect(payload.sub).toBe('user');
  });

  it('puts the pending set under the rotation token once, however often createSecret is retried', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);
    fake.startRotation('token-1');
    const event = { SecretId: 'signing-key', ClientRequestToken: 'token-1', Step: 'createSecret' } as const;

    // Act
    await handler(event);
    const first = fake.versions.get('token-1')?.value;
    await handler(event);

    // Assess
    expect(fake.versions.get('token-1')?.value).toBe(first);
    expect(fake.calls.filter((name) => name === 'PutSecretValueCommand')).toHaveLength(1);
    expect(fake.valueOf('AWSCURRENT')).toBe(PLACEHOLDER);
  });

  it('leaves AWSCURRENT alone until finishSecret', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);
    fake.startRotation('token-1');

    // Act
    for (const Step of ['createSecret', 'setSecret', 'testSecret'] as const) await handler({ SecretId: 'signing-key', ClientRequestToken: 'token-1', Step });

    // Assess
    expect(fake.valueOf('AWSCURRENT')).toBe(PLACEHOLDER);
    expect(parseKeySet(fake.valueOf('AWSPENDING'))).toBeDefined();
  });

  it('fails testSecret when the pending set would sign with a key that was never published as next', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    await rotate(fake, 'token-1');
    const set = current(fake);
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);
    fake.startRotation('token-2');
    const skipped: KeySet = { version: 1, keys: [set.keys[0], await generateStoredKey(new Date(clock.now())), set.keys[1]] };
    await fake.send(
      new PutSecretValueCommand({
        SecretId: 'signing-key',
        ClientRequestToken: 'token-2',
        SecretString: JSON.stringify(skipped),
        VersionStages: ['AWSPENDING'],
      }),
    );

    // Act
    const attempt = handler({ SecretId: 'signing-key', ClientRequestToken: 'token-2', Step: 'testSecret' });

    // Assess
    await expect(attempt).rejects.toThrow(/does not promote the published next key/);
  });

  it('fails testSecret when the pending value is not a key set', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);
    fake.startRotation('token-1');
    await fake.send(
      new PutSecretValueCommand({
        SecretId: 'signing-key',
        ClientRequestToken: 'token-1',
        SecretString: '{"version":1,"keys":[]}',
        VersionStages: ['AWSPENDING'],
      }),
    );

    // Act
    const attempt = handler({ SecretId: 'signing-key', ClientRequestToken: 'token-1', Step: 'testSecret' });

    // Assess
    await expect(attempt).rejects.toBeInstanceOf(RotationError);
  });

  it('refuses a token that is not a pending version of the secret', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);

    // Act
    const attempt = handler({ SecretId: 'signing-key', ClientRequestToken: 'unknown', Step: 'createSecret' });

    // Assess
    await expect(attempt).rejects.toThrow(/not a version/);
    expect(fake.calls).not.toContain('PutSecretValueCommand');
  });

  it('refuses to rotate a secret whose rotation is disabled', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    fake.rotationEnabled = false;
    fake.startRotation('token-1');
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);

    // Act
    const attempt = handler({ SecretId: 'signing-key', ClientRequestToken: 'token-1', Step: 'createSecret' });

    // Assess
    await expect(attempt).rejects.toThrow(/not enabled/);
  });

  it('treats a repeated finishSecret for the version already current as done', async () => {
    // Prepare
    const fake = new FakeSecretsManager(PLACEHOLDER);
    await rotate(fake, 'token-1');
    const handler = createRotationHandler(fake as unknown as RotationClient, clock);
    const callsBefore = fake.calls.length;

    // Act
    await handler({ SecretId: 'signing-key', ClientRequestToken: 'token-1', Step: 'finishSecret' });

    // Assess
    expect(fake.calls.slice(callsBefore)).toEqual(['DescribeSecretCommand']);
    expect(fake.versions.get('token-1')?.stages.has('AWSCURRENT')).toBe(true);
  });
});

describe('The public keys document written by the rotation', () => {
  /** Two secrets: the key set, and the public document the rotation writes with it. */
  function twoSecrets() {
    const keys = new FakeSecretsManager(PLACEHOLDER);
    const published = new FakeSecretsManager(PLACEHOLDER);
    const client = { send: (command: { input: { SecretId?: string } }) => (command.input.SecretId === 'public-keys' ? published : keys).send(command) };
    return { keys, published, handler: createRotationHandler(client as unknown as RotationClient, clock, 'public-keys') };
  }
  async function rotateBoth(secrets: ReturnType<typeof twoSecrets>, token: string): Promise<void> {
    secrets.keys.startRotation(token);
    for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
      await secrets.handler({ SecretId: 'signing-key', ClientRequestToken: token, Step } satisfies SecretsManagerRotationEvent);
    }
  }

  it('holds exactly the public halves of the new key set, never a private key, after each rotation', async () => {
    const secrets = twoSecrets();

    for (const token of ['token-1', 'token-2']) {
      await rotateBoth(secrets, token);

      const document = parsePublicKeySet(secrets.published.valueOf('AWSCURRENT'));
      expect(document?.keys).toEqual(publicJwks(current(secrets.keys)).keys);
      expect(secrets.published.valueOf('AWSCURRENT')).not.toContain('"d"');
    }
  });

  it('writes the same version again when Secrets Manager retries finishSecret', async () => {
    const secrets = twoSecrets();
    await rotateBoth(secrets, 'token-1');
    const written = secrets.published.valueOf('AWSCURRENT');

    await secrets.handler({ SecretId: 'signing-key', ClientRequestToken: 'token-1', Step: 'finishSecret' });

    expect(secrets.published.valueOf('AWSCURRENT')).toBe(written);
  });
});
