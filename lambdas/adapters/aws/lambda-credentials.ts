/**
 * Stands in for `@aws-sdk/credential-provider-node` in the deployed bundles
 * (lib/bundling.ts aliases it here). Lambda hands every function its role's
 * credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, the first source the SDK's default chain tries; the rest
 * of that chain (shared ini files, SSO, credential processes, web identity,
 * container and instance metadata) never answers in Lambda, yet with its
 * nested STS and SSO clients it is about 108 KB of every bundle, compiled at
 * every cold start. Tests and the local stack run the source, with the SDK's
 * own chain.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type EnvInit = Parameters<typeof fromEnv>[0];

/** The one export the SDK clients' runtime configuration imports from the default chain's package. */
export const defaultProvider = (init: EnvInit = {}) => fromEnv(init);
