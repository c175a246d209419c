import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { userAdmin } from '../../runtime';
import { authenticatedSession } from '../sso/authenticated';

/** GET /login-flow/my-data (Bearer): everything stored about oneself, the console's export document (never a hash or secret). */
export const handler = httpHandler(async (request) => {
  const { sub } = await authenticatedSession(request);
  return ok(await userAdmin().exportOwn(sub), { 'Content-Disposition': 'attachment; filename="my-data.json"' });
});
