import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { factorRenameBody } from '../../http/schemas/factors';
import { validate } from '../../http/validation';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/** PATCH /login-flow/factors/{factorId}: a new name for a confirmed factor. */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const { label } = validate(factorRenameBody, request.body);
  return ok({ factor: await secondFactors().rename(session.sub, request.pathParameters.factorId ?? '', label) });
});
