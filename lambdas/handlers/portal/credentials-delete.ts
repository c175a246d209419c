import { httpHandler } from '../../http/pipeline';
import { noContent } from '../../http/responses';
import { portal } from '../../runtime';
import { portalCaller } from './caller';

/** DELETE /portal/credentials/{clientId}: 204; the client's grants go too. */
export const handler = httpHandler(async (request) => {
  const caller = await portalCaller(request);
  await portal().credentials.delete(caller, request.pathParameters.clientId ?? '');
  return noContent();
});
