import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Argon2Hasher } from '../adapters/argon2-hasher';
import { DynamoAccountDeletionStore } from '../adapters/dynamo/account-deletion-store';
import { createDocumentClient } from '../adapters/dynamo/client';
import { DynamoCredentialStore } from '../adapters/dynamo/credential-store';
import { DynamoRelayMailStates } from '../adapters/dynamo/relay-mail-state-store';
import { DynamoSessionStore } from '../adapters/dynamo/session-store';
import { DynamoSingleUseTokenStore } from '../adapters/dynamo/single-use-token-store';
import { DynamoThrottleStore } from '../adapters/dynamo/throttle-store';
import { FileKeySource } from '../adapters/keys/file-key-source';
import { createSecretsManagerHmacKeyRing, FileHmacKeyRing } from '../adapters/keys/hmac-key-ring';
import { createSecretsManagerPublicKeySource, FilePublicKeySource } from '../adapters/keys/public-key-sources';
import { createSecretsManagerKeySource } from '../adapters/keys/secrets-manager-key-source';
import { OutboxMailer } from '../adapters/mail/outbox-mailer';
import { MigratingHasher } from '../adapters/migrating-hasher';
import { ConfigurationError, optionalEnv, requiredEnv, settings } from '../config';
import { AccessTokens } from '../core/access-tokens';
import { systemClock } from '../core/clock';
import { RelayAwareMailer } from '../core/federation/relay-mail';
import { LimitedMailer } from '../core/mail-limits';
import type { KeySetSource, Mailer, PublicKeySetSource, RefreshTokenKey } from '../core/ports';
import { SessionCheck } from '../core/session-check';
import { Sessions } from '../core/sessions';
import { log } from '../http/log';
import { partnerBudgetMs } from '../time-budget';

/**
 * The composition root's shared pieces: the table, the keys, tokens, sessions
 * and mail every area builds on. Each piece is built on first use, once per
 * Lambda instance, from the environment the stack gave this function; a
 * function that was not granted a resource has no variable for it and fails
 * loudly if it ever reaches for it.
 */
export function once<T>(build: () => T): () => T {
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

export const documentClient = /* @__PURE__ */ once<DynamoDBDocumentClient>(() =>
  createDocumentClient({
    endpoint: optionalEnv('DYNAMODB_ENDPOINT'),
    region: optionalEnv('AWS_REGION') ?? 'us-east-1',
    connectTimeoutMs: settings().DYNAMODB_CONNECT_TIMEOUT_MS,
    requestTimeoutMs: settings().DYNAMODB_REQUEST_TIMEOUT_MS,
  }),
);
export const tableName = () => requiredEnv('TABLE_NAME');

/** Accounts' credentials and profiles; their sessions; their single-use links (reset, verification). */
export const credentialStore = /* @__PURE__ */ once(() => new DynamoCredentialStore(documentClient(), tableName()));
export const sessionStore = /* @__PURE__ */ once(() => new DynamoSessionStore(documentClient(), tableName()));
export const singleUseTokenStore = /* @__PURE__ */ once(() => new DynamoSingleUseTokenStore(documentClient(), tableName()));
/** The account's deletion (self-service and the operator console). */
export const accountDeletionStore = /* @__PURE__ */ once(() => new DynamoAccountDeletionStore(documentClient(), tableName()));
export const throttleStore = /* @__PURE__ */ once(() => new DynamoThrottleStore(documentClient(), tableName()));

/** PUBLIC_BASE_URL without a trailing slash: every absolute URL we hand out starts with it. */
export const publicBaseUrl = () => settings().PUBLIC_BASE_URL.replace(/\/+$/, '');

export const issuer = () => settings().TOKEN_ISSUER ?? settings().PUBLIC_BASE_URL;

/** Timeouts, retries and the time budget of every call to a partner (SSO partners, Auth0 tenants). */
export const partnerHttpOptions = () => ({
  timeoutMs: settings().PARTNER_TIMEOUT_MS,
  retry: { maxRetries: settings().PARTNER_MAX_RETRIES, baseDelayMs: 200, maxDelayMs: settings().PARTNER_MAX_RETRY_WAIT_MS },
  budgetMs: partnerBudgetMs(settings().PARTNER_BUDGET_MS),
});

/**
 * A granted key: from Secrets Manager in AWS (`<NAME>_SECRET_ARN`, set by the
 * stack with the read grant), from a file locally (`<NAME>_FILE`). A function
 * without the grant has neither and fails loudly if it ever reaches for it.
 */
export function grantedKey<T>(name: string, fromSecret: (secretArn: string) => T, fromFile: (file: string) => T): T {
  const secretArn = optionalEnv(`${name}_SECRET_ARN`);
  if (secretArn) return fromSecret(secretArn);
  const file = optionalEnv(`${name}_FILE`);
  if (file) return fromFile(file);
  throw new ConfigurationError(`Missing configuration: ${name}_SECRET_ARN (or ${name}_FILE locally) is not set for this function.`);
}

/** Grant `signingKey`: the private key set. */
export const keySource = /* @__PURE__ */ once<KeySetSource>(() =>
  grantedKey<KeySetSource>('SIGNING_KEY', createSecretsManagerKeySource, (file) => new FileKeySource(file)),
);

/**
 * Grant `verifyKey`: the public-keys-only document, for functions that verify
 * but do not sign; undefined in a signing-only function, which then verifies
 * (if ever) with the public halves of its own key set.
 */
export const verificationKeys = /* @__PURE__ */ once<PublicKeySetSource | undefined>(() => {
  const secretArn = optionalEnv('VERIFY_KEYS_SECRET_ARN');
  if (secretArn) return createSecretsManagerPublicKeySource(secretArn);
  const file = optionalEnv('VERIFY_KEYS_FILE');
  if (file) return new FilePublicKeySource(file);
  return undefined;
});

/** Grant `signingKey`, read only when something is signed: functions that only verify are never granted it. */
const signingKeys: KeySetSource = { get: () => keySource().get(), reload: () => keySource().reload() };

/** Grant `refreshKey`, read on the first rotation only: the stack gives it to the functions that rotate refresh tokens, and to no other. */
export const refreshTokenKey = /* @__PURE__ */ once<RefreshTokenKey>(() =>
  grantedKey<RefreshTokenKey>('REFRESH_KEY', createSecretsManagerHmacKeyRing, (file) => new FileHmacKeyRing(file)),
);

const grantedRefreshKey: RefreshTokenKey = { get: () => refreshTokenKey().get(), reload: () => refreshTokenKey().reload?.() ?? refreshTokenKey().get() };

export const accessTokens = /* @__PURE__ */ once(
  () =>
    new AccessTokens(
      signingKeys,
      { issuer: issuer(), audience: settings().TOKEN_AUDIENCE, ttlSeconds: settings().ACCESS_TOKEN_TTL_SECONDS },
      systemClock,
      verificationKeys(),
    ),
);

export const hasher = /* @__PURE__ */ once(
  () =>
    new MigratingHasher(
      new Argon2Hasher(
        { memoryCost: settings().ARGON2_MEMORY_KIB, timeCost: settings().ARGON2_TIME_COST, parallelism: 1 },
        { budgetMs: settings().ARGON2_QUEUE_BUDGET_MS },
      ),
    ),
);

/** Grant `mail`: where email is handed over, SES or locally the outbox folder. Only `mailer` below sends through it. */
const deliveryMailer = /* @__PURE__ */ once<Mailer>(() => {
  const outbox = optionalEnv('OUTBOX_DIR');
  if (outbox) return new OutboxMailer(outbox);
  const from = requiredEnv('MAIL_FROM');
  const configurationSet = optionalEnv('SES_CONFIGURATION_SET');
  // The SES client loads on the first email, not at cold start: most functions that can mail (login) rarely do.
  const ses = once(() => import('../adapters/mail/ses-mailer').then(({ createSesMailer }) => createSesMailer(from, configurationSet)));
  return { send: async (email) => (await ses()).send(email) };
});

/**
 * Every email of every kind: none to an Apple relay address whose forwarding is off (core/federation/relay-mail.ts),
 * links only to PUBLIC_BASE_URL, per-recipient and per-sender limits taken before sending.
 */
export const mailer = /* @__PURE__ */ once<Mailer>(
  () =>
    new RelayAwareMailer(
      new LimitedMailer(deliveryMailer(), throttleStore(), systemClock, () => ({
        windowSeconds: settings().MAIL_LIMIT_WINDOW_SECONDS,
        perRecipient: settings().MAIL_PER_RECIPIENT_PER_WINDOW,
        perSender: settings().MAIL_PER_SENDER_PER_WINDOW,
        publicBaseUrl: publicBaseUrl(),
      })),
      once(() => ({
        // Read for relay addresses only: one GetItem of the address's state.
        relayStates: new DynamoRelayMailStates(documentClient(), tableName()),
        // The kind and the reason only: the address stays out of the logs.
        onSkipped: (kind, reason) => log.info('an email was not sent', { kind, reason }),
      })),
    ),
);

/**
 * Grant `mail`, reached on the first email only: the use cases that may send
 * take this, so a function of theirs that never sends is not granted a sender.
 */
export const grantedMailer: Mailer = { send: (email) => mailer().send(email) };

export const sessions = /* @__PURE__ */ once(
  () =>
    new Sessions(
      sessionStore(),
      {
        absoluteTtlSeconds: settings().REFRESH_ABSOLUTE_TTL_SECONDS,
        idleTtlSeconds: settings().REFRESH_IDLE_TTL_SECONDS,
        graceSeconds: settings().REFRESH_GRACE_SECONDS,
      },
      systemClock,
      grantedRefreshKey,
    ),
);

/** Every route that acts for a user checks the session through this, not only the signature (docs/security.md). */
export const sessionCheck = /* @__PURE__ */ once(() => new SessionCheck({ tokens: accessTokens(), accounts: sessionStore() }));
