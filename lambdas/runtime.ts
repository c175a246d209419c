import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Argon2Hasher } from './adapters/argon2-hasher';
import { DynamoAccountStore } from './adapters/dynamo/account-store';
import { createDocumentClient } from './adapters/dynamo/client';
import { DynamoThrottleStore } from './adapters/dynamo/throttle-store';
import { FileKeySource } from './adapters/keys/file-key-source';
import { SecretsManagerKeySource } from './adapters/keys/secrets-manager-key-source';
import { OutboxMailer } from './adapters/mail/outbox-mailer';
import { SesMailer } from './adapters/mail/ses-mailer';
import { ConfigurationError, optionalEnv, requiredEnv, settings } from './config';
import { AccessTokens } from './core/access-tokens';
import { systemClock } from './core/clock';
import { LoginFlow } from './core/login-flow';
import type { KeySetSource, Mailer } from './core/ports';
import { randomToken } from './core/random';
import { Sessions } from './core/sessions';
import { SignInThrottle } from './core/throttle';

/**
 * The composition root. Each piece is built on first use, once per Lambda
 * instance, from the environment the stack gave this function; a function
 * that was not granted a resource has no variable for it and fails loudly if
 * it ever reaches for it.
 */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

const documentClient = once<DynamoDBDocumentClient>(() =>
  createDocumentClient({ endpoint: optionalEnv('DYNAMODB_ENDPOINT'), region: optionalEnv('AWS_REGION') ?? 'us-east-1' }),
);
const tableName = () => requiredEnv('TABLE_NAME');

export const accountStore = once(() => new DynamoAccountStore(documentClient(), tableName()));
export const throttleStore = once(() => new DynamoThrottleStore(documentClient(), tableName()));

export const keySource = once<KeySetSource>(() => {
  const secretArn = optionalEnv('SIGNING_KEY_SECRET_ARN');
  if (secretArn) return new SecretsManagerKeySource(new SecretsManagerClient({}), secretArn);
  const file = optionalEnv('SIGNING_KEY_FILE');
  if (file) return new FileKeySource(file);
  throw new ConfigurationError('Missing configuration: SIGNING_KEY_SECRET_ARN (or SIGNING_KEY_FILE locally) is not set for this function.');
});

export const issuer = () => settings().TOKEN_ISSUER ?? settings().PUBLIC_BASE_URL;

export const accessTokens = once(
  () => new AccessTokens(keySource(), { issuer: issuer(), audience: settings().TOKEN_AUDIENCE, ttlSeconds: settings().ACCESS_TOKEN_TTL_SECONDS }, systemClock),
);

export const hasher = once(
  () => new Argon2Hasher({ memoryCost: settings().ARGON2_MEMORY_KIB, timeCost: settings().ARGON2_TIME_COST, parallelism: 1 }),
);

export const mailer = once<Mailer>(() => {
  const outbox = optionalEnv('OUTBOX_DIR');
  if (outbox) return new OutboxMailer(outbox);
  return new SesMailer(new SESv2Client({}), requiredEnv('MAIL_FROM'), optionalEnv('SES_CONFIGURATION_SET'));
});

export const sessions = once(
  () =>
    new Sessions(
      accountStore(),
      { absoluteTtlSeconds: settings().REFRESH_ABSOLUTE_TTL_SECONDS, idleTtlSeconds: settings().REFRESH_IDLE_TTL_SECONDS },
      systemClock,
    ),
);

export const signInThrottle = once(
  () =>
    new SignInThrottle(throttleStore(), {
      account: { freeFailures: settings().LOGIN_BACKOFF_FREE_FAILURES, baseDelaySeconds: 1, maxDelaySeconds: settings().LOGIN_BACKOFF_MAX_SECONDS },
      ip: { maxFailures: settings().LOGIN_IP_MAX_FAILURES, windowSeconds: settings().LOGIN_IP_WINDOW_SECONDS },
    }),
);

/** A hash of a random password, made once per instance with the current parameters. */
const decoyHash = once(() => hasher().hash(randomToken(24)));

export const loginFlow = once(
  () =>
    new LoginFlow({
      accounts: accountStore(),
      throttles: throttleStore(),
      signInThrottle: signInThrottle(),
      hasher: hasher(),
      sessions: sessions(),
      tokens: accessTokens(),
      // Lazy: only the reset function is granted a mail sender.
      mailer: { send: (email) => mailer().send(email) },
      clock: systemClock,
      decoyHash,
      settings: {
        termsRequired: settings().TERMS_REQUIRED,
        publicBaseUrl: settings().PUBLIC_BASE_URL.replace(/\/+$/, ''),
        resetTokenTtlSeconds: settings().RESET_TOKEN_TTL_SECONDS,
        resetEmailLimit: { maxPerWindow: settings().RESET_EMAILS_PER_HOUR, windowSeconds: 3600 },
      },
    }),
);
