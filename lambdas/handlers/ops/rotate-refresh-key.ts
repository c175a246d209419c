import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createHmacKeyRotationHandler } from '../../adapters/keys/hmac-key-rotation';

/**
 * The refresh-token key's rotation function: invoked by Secrets Manager on
 * the rotation schedule. The protocol lives in `lambdas/adapters/keys/hmac-key-rotation.ts`.
 */
export const handler = createHmacKeyRotationHandler(new SecretsManagerClient({}), 'refresh key rotation');
