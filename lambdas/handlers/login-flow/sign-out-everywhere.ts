import { epochSeconds, systemClock } from '../../core/clock';
import { UnauthenticatedError } from '../../core/errors';
import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { sessionCheck, sessionStore } from '../../runtime';

/**
 * POST /login-flow/sign-out-everywhere (Bearer): the user's "sessions not
 * before" becomes now and every refresh family ends, so no token issued
 * until now acts for the user any more and no TV sign-in approved until now
 * can be collected.
 */
export const handler = httpHandler(
  async (request) => {
    const claims = await sessionCheck().verify(bearerToken(request.headers));
    if (!(await sessionStore().signOutEverywhere(claims.sub, epochSeconds(systemClock))))
      throw new UnauthenticatedError('Your session has ended. Please sign in again.');
    return ok({ status: 200, message: 'Signed out everywhere.' });
  },
  { errorStyle: 'login-flow' },
);
