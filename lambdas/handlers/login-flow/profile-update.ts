import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { profileChangeBody } from '../../http/schemas/account';
import { validate } from '../../http/validation';
import { accountSelfService } from '../../runtime';
import { authenticatedSession } from '../sso/authenticated';

const schema = profileChangeBody(settings().REGISTRATION_EXTRA_FIELDS);

/** PATCH /login-flow/me (Bearer): change one's names and extra register fields; answers the profile as GET /login-flow/me does. */
export const handler = httpHandler(async (request) => {
  const session = await authenticatedSession(request);
  const change = validate(schema, request.body);
  return ok(await accountSelfService().updateProfile(session, change));
});
