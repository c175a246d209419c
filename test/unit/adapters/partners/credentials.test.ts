import { EnvCredentialSource, parseCredentials, SecretsManagerCredentialSource } from '../../../../lambdas/adapters/partners/credentials';
import { PartnerNotConfiguredError, ServiceUnavailableError } from '../../../../lambdas/core/errors';

/** A stand-in for the AWS SDK client (not one of our modules): answers GetSecretValue from a variable. */
function fakeSecretsManager(initial: string | undefined) {
  const state = { secret: initial, reads: 0, down: false };
  return {
    state,
    client: {
      send: async () => {
        state.reads += 1;
        if (state.down) throw Object.assign(new Error('connect ETIMEDOUT'), { name: 'TimeoutError' });
        return { SecretString: state.secret };
      },
    } as never,
  };
}

function manualClock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const SECRET = JSON.stringify({ baseUrl: 'https://dc.example/', clientId: 'id-1', clientSecret: 's3cr3t-value' });

describe('SecretsManagerCredentialSource', () => {
  it('reads the secret once per TTL', async () => {
    // Prepare
    const clock = manualClock();
    const sm = fakeSecretsManager(SECRET);
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', {
      partner: 'Acronis',
      arnVariable: 'ACRONIS_SECRET_ARN',
      ttlMs: 60_000,
      now: clock.now,
    });
    // Act
    const first = await source.get();
    clock.advance(59_000);
    await source.get();
    clock.advance(2_000);
    await source.get();
    // Assess
    expect(first).toEqual({ baseUrl: 'https://dc.example', clientId: 'id-1', clientSecret: 's3cr3t-value' });
    expect(sm.state.reads).toBe(2);
  });

  it('re-reads at once when forced (the partner rejected the credentials), at most every few seconds', async () => {
    const clock = manualClock();
    const sm = fakeSecretsManager(SECRET);
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', {
      partner: 'Acronis',
      arnVariable: 'ACRONIS_SECRET_ARN',
      ttlMs: 60_000,
      minReloadIntervalMs: 5_000,
      now: clock.now,
    });
    await source.get();

    sm.state.secret = JSON.stringify({ baseUrl: 'https://dc.example', clientId: 'id-2', clientSecret: 'rotated' });
    const rotated = await source.reload();
    const again = await source.reload();

    expect(rotated.clientId).toBe('id-2');
    expect(again.clientId).toBe('id-2');
    expect(sm.state.reads).toBe(2);
  });

  it('says which setting to fill when the secret is still empty, without any value in the message', async () => {
    const sm = fakeSecretsManager(JSON.stringify({ clientId: 'id-1', clientSecret: '' }));
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', {
      partner: 'Astrato',
      arnVariable: 'ASTRATO_SECRET_ARN',
      defaultBaseUrl: 'https://app.astrato.io',
      ttlMs: 60_000,
    });

    const failure = source.get();

    await expect(failure).rejects.toThrow(PartnerNotConfiguredError);
    await expect(failure).rejects.toThrow(/ASTRATO_SECRET_ARN.*clientSecret/);
  });

  it('says the secret is not filled in yet while it holds the empty shape the stack creates', async () => {
    const sm = fakeSecretsManager(JSON.stringify({ baseUrl: '', clientId: '', clientSecret: '' }));
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', {
      partner: 'Astrato',
      arnVariable: 'ASTRATO_SECRET_ARN',
      defaultBaseUrl: 'https://app.astrato.io',
      ttlMs: 60_000,
    });

    await expect(source.get()).rejects.toThrow(/ASTRATO_SECRET_ARN \(it lacks a valid clientId, clientSecret\)/);
  });

  it('uses the default base URL when the secret names none', async () => {
    const sm = fakeSecretsManager(JSON.stringify({ baseUrl: '', clientId: 'id-1', clientSecret: 'x' }));
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', {
      partner: 'Astrato',
      arnVariable: 'ASTRATO_SECRET_ARN',
      defaultBaseUrl: 'https://app.astrato.io',
      ttlMs: 60_000,
    });

    await expect(source.get()).resolves.toMatchObject({ baseUrl: 'https://app.astrato.io' });
  });

  it('turns an unreachable Secrets Manager into a 503-class error', async () => {
    const sm = fakeSecretsManager(SECRET);
    sm.state.down = true;
    const source = new SecretsManagerCredentialSource(sm.client, 'arn:secret', { partner: 'Acronis', arnVariable: 'ACRONIS_SECRET_ARN', ttlMs: 60_000 });

    await expect(source.get()).rejects.toThrow(ServiceUnavailableError);
  });
});

describe('parseCredentials', () => {
  it.each([
    ['an empty secret', ''],
    ['a placeholder that is not JSON', 'placeholder'],
    ['a base URL with a query', JSON.stringify({ baseUrl: 'https://x.example/?a=1', clientId: 'a', clientSecret: 'b' })],
    ['a javascript: base URL', JSON.stringify({ baseUrl: 'javascript:alert(1)', clientId: 'a', clientSecret: 'b' })],
  ])('refuses %s', (_name, text) => {
    expect(parseCredentials(text, 'https://default.example').credentials).toBeUndefined();
  });
});

describe('EnvCredentialSource', () => {
  it('reads ASTRATO_* variables on every call and names them when missing', async () => {
    const env: NodeJS.ProcessEnv = { ASTRATO_CLIENT_ID: 'local-id' };
    const source = new EnvCredentialSource({ partner: 'Astrato', prefix: 'ASTRATO', defaultBaseUrl: 'https://app.astrato.io', env });

    await expect(source.get()).rejects.toThrow(/ASTRATO_CLIENT_SECRET/);
    env.ASTRATO_CLIENT_SECRET = 'local-secret';
    env.ASTRATO_BASE_URL = 'http://127.0.0.1:4001';
    await expect(source.get()).resolves.toEqual({ baseUrl: 'http://127.0.0.1:4001', clientId: 'local-id', clientSecret: 'local-secret' });
  });
});
