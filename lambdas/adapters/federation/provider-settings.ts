import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ServiceUnavailableError } from '../../core/errors';
import type { FederatedProvider } from '../../core/federation/providers';

/**
 * A provider's settings: in AWS the JSON of its secret (APPLE_SECRET_ARN,
 * GOOGLE_SECRET_ARN; created empty or imported like the partner secrets),
 * locally plain variables (APPLE_CLIENT_IDS, ...; .env.example).
 */
export interface ProviderSettings {
  /** Accepted `aud` values: iOS bundle ids, Apple service ids, Android/iOS/web client ids. Empty: the provider is off. */
  clientIds: string[];
  /** Apple: the team id, key id and PKCS8 PEM key the client-secret JWT is signed with (the web flow, token revocation). */
  teamId?: string;
  keyId?: string;
  privateKey?: string;
  /** Google: the web client's secret (the web flow). */
  clientSecret?: string;
  /** Google: the Workspace domain every account must belong to. */
  hostedDomain?: string;
}

const ENV_PREFIX: Record<FederatedProvider, string> = { apple: 'APPLE', google: 'GOOGLE' };

const list = (value: unknown): string[] =>
  (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(',') : []).map((item) => item.trim()).filter(Boolean);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() ? value : undefined);

function parse(fields: Record<string, unknown>): ProviderSettings {
  return {
    clientIds: list(fields.clientIds),
    ...(text(fields.teamId) ? { teamId: text(fields.teamId) } : {}),
    ...(text(fields.keyId) ? { keyId: text(fields.keyId) } : {}),
    ...(text(fields.privateKey) ? { privateKey: (fields.privateKey as string).replace(/\\n/g, '\n') } : {}),
    ...(text(fields.clientSecret) ? { clientSecret: text(fields.clientSecret) } : {}),
    ...(text(fields.hostedDomain) ? { hostedDomain: text(fields.hostedDomain) } : {}),
  };
}

/** The settings from the local variables `<PREFIX>_CLIENT_IDS` (comma-separated), `_TEAM_ID`, `_KEY_ID`, `_PRIVATE_KEY`, `_CLIENT_SECRET`, `_HOSTED_DOMAIN`. */
export function providerSettingsFromEnv(provider: FederatedProvider, env: NodeJS.ProcessEnv = process.env): ProviderSettings {
  const prefix = ENV_PREFIX[provider];
  return parse({
    clientIds: env[`${prefix}_CLIENT_IDS`],
    teamId: env[`${prefix}_TEAM_ID`],
    keyId: env[`${prefix}_KEY_ID`],
    privateKey: env[`${prefix}_PRIVATE_KEY`],
    clientSecret: env[`${prefix}_CLIENT_SECRET`],
    hostedDomain: env[`${prefix}_HOSTED_DOMAIN`],
  });
}

/** The settings from the provider's secret: `{clientIds, teamId, keyId, privateKey}` (Apple), `{clientIds, clientSecret, hostedDomain}` (Google). */
export async function providerSettingsFromSecret(
  secretArn: string,
  client: Pick<SecretsManagerClient, 'send'> = new SecretsManagerClient({}),
): Promise<ProviderSettings> {
  let secret: string | undefined;
  try {
    ({ SecretString: secret } = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))) as { SecretString?: string });
  } catch (error) {
    throw new ServiceUnavailableError('The sign-in provider settings cannot be read right now. Please try again shortly.', { cause: error });
  }
  try {
    const parsed: unknown = JSON.parse(secret ?? '{}');
    return parse(parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {});
  } catch {
    // A secret that is not JSON (still empty, or mistyped): the provider is off until it is filled in.
    return { clientIds: [] };
  }
}
