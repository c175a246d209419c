import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/** POST /login-flow/factors/recovery-codes: ten new recovery codes, shown once; the old ones stop working. Needs a recent factor. */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  secondFactors().requireRecentFactor(session.session);
  return ok({ recoveryCodes: await secondFactors().regenerateRecoveryCodes(session.sub) }, { 'Cache-Control': 'no-store' });
});
