import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { partnersBody } from '../../http/schemas/admin';
import { validate } from '../../http/validation';
import { userAdmin } from '../../runtime';
import { consoleOperator } from './caller';

/** PUT /admin/users/{userId}/partners {acronis, astrato}: replaces the user's partner identities. */
export const handler = httpHandler(async (request) => {
  const context = await consoleOperator(request);
  const partners = validate(partnersBody, request.body);
  return ok(await userAdmin().setPartners(context, request.pathParameters.userId ?? '', partners));
});
