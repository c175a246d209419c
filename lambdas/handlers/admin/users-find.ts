import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { emailQuery } from '../../http/schemas/admin';
import { validate } from '../../http/validation';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** GET /admin/users?email=: the user with exactly this email (normalised as at sign-in); 404 when none. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  const { email } = validate(emailQuery, request.query);
  return ok(await userAdmin().findByEmail(context, email));
});
