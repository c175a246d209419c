import type { SecretsManagerRotationEvent } from 'aws-lambda';
import { createHmacKeyRotationHandler } from '../../../../lambdas/adapters/keys/hmac-key-rotation';
import type { RotationClient } from '../../../../lambdas/adapters/keys/signing-key-rotation';
import { parseHmacKeyRing } from '../../../../lambdas/core/hmac-key-ring';
import { FakeSecretsManager } from '../../../support/fakes/secrets-manager';

process.env.LOG_LEVEL = 'SILENT';

const GENERATED = 'G'.repeat(64);

async function rotate(fake: FakeSecretsManager, token: string): Promise<void> {
  const handler = createHmacKeyRotationHandler(fake as unknown as RotationClient, 'refresh key rotation');
  fake.startRotation(token);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
    await handler({ SecretId: 'refresh-key', ClientRequestToken: token, Step } satisfies SecretsManagerRotationEvent);
  }
}

const ring = (fake: FakeSecretsManager) => parseHmacKeyRing(fake.valueOf('AWSCURRENT'));

describe('HMAC key rotation (Secrets Manager rotation function)', () => {
  it('makes a new current key and keeps the key the stack generated as previous', async () => {
    // Prepare
    const fake = new FakeSecretsManager(GENERATED);
    // Act
    await rotate(fake, 'token-1');
    // Assess
    const after = ring(fake);
    expect(after?.previous).toEqual(Buffer.from(GENERATED));
    expect(after?.current).not.toEqual(Buffer.from(GENERATED));
    expect(fake.versions.get('token-1')?.stages).toEqual(new Set(['AWSCURRENT']));
  });

  it('drops the previous key at the next rotation, keeping the current one as previous', async () => {
    const fake = new FakeSecretsManager(GENERATED);
    await rotate(fake, 'token-1');
    const first = ring(fake);

    await rotate(fake, 'token-2');

    expect(ring(fake)?.previous).toEqual(first?.current);
    expect([ring(fake)?.current, ring(fake)?.previous]).not.toContainEqual(Buffer.from(GENERATED));
  });

  it('is idempotent: a retried step writes no second pending version', async () => {
    const fake = new FakeSecretsManager(GENERATED);
    const handler = createHmacKeyRotationHandler(fake as unknown as RotationClient, 'refresh key rotation');
    fake.startRotation('token-1');
    const event = { SecretId: 'refresh-key', ClientRequestToken: 'token-1', Step: 'createSecret' } as const;

    await handler(event);
    await handler(event);

    expect(fake.calls.filter((name) => name === 'PutSecretValueCommand')).toHaveLength(1);
  });
});
