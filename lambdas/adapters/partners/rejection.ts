import { CredentialsRejected, PartnerRejectedError } from '../../core/errors';
import { credentialsKey, type PartnerCredentialSource, type PartnerCredentials } from './credentials';

export { CredentialsRejected } from '../../core/errors';

/**
 * Runs `operation` with the current credentials. When the partner rejects
 * them the secret is re-read at once (a rotation is picked up without a
 * redeploy) and, only if it changed, the operation runs once more. A second
 * rejection becomes a 502 naming what to check; the values are never named.
 */
export async function withCredentials<T>(
  source: PartnerCredentialSource,
  operation: (credentials: PartnerCredentials) => Promise<T>,
  extraHint = '',
): Promise<T> {
  const rejected = (cause: CredentialsRejected) =>
    new PartnerRejectedError(
      source.partner,
      `${source.partner} rejected our API credentials. An administrator should check ${source.credentialsHint}${extraHint}.`,
      source.credentialsHint,
      {
        cause,
      },
    );
  const first = await source.get();
  try {
    return await operation(first);
  } catch (error) {
    if (!(error instanceof CredentialsRejected)) throw error;
    const fresh = await source.reload();
    if (credentialsKey(fresh) === credentialsKey(first)) throw rejected(error);
    try {
      return await operation(fresh);
    } catch (again) {
      if (again instanceof CredentialsRejected) throw rejected(again);
      throw again;
    }
  }
}
