import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createRotationHandler } from '../../adapters/keys/signing-key-rotation';
import { optionalEnv } from '../../config';
import { systemClock } from '../../core/clock';

/**
 * The signing-key rotation function: invoked by Secrets Manager on the
 * rotation schedule (and once at deployment, to provision the first key set),
 * writing the public-keys-only document (PUBLIC_KEYS_SECRET_ARN) in the same rotation.
 * The four-step protocol lives in `lambdas/adapters/keys/signing-key-rotation.ts`.
 */
export const handler = createRotationHandler(new SecretsManagerClient({}), systemClock, optionalEnv('PUBLIC_KEYS_SECRET_ARN'));
