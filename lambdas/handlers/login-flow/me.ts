import { UnauthenticatedError } from '../../core/errors';
import { profileView } from '../../core/profile-view';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { authenticatedSession } from '../sso/authenticated';

/** GET /login-flow/me: the signed-in user's (Bearer) names, email, email_verified, consents and extra register fields, as the session check read them. */
export const handler = httpHandler(async (request) => {
  const { profile } = await authenticatedSession(request);
  if (!profile) throw new UnauthenticatedError('This account no longer exists. Please sign in again.');
  return ok(profileView(profile));
});
