import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createRotationHandler } from '../../adapters/keys/signing-key-rotation';

/**
 * The signing-key rotation function: invoked by Secrets Manager on the
 * rotation schedule (and once at deployment, to provision the first key set).
 * The four-step protocol lives in `lambdas/adapters/keys/signing-key-rotation.ts`.
 */
export const handler = createRotationHandler(new SecretsManagerClient({}));
