import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { openApiDocument } from '../../http/openapi/document';
import { settings } from '../../config';

let document: ReturnType<typeof openApiDocument> | undefined;

/** GET /openapi.json: the OpenAPI 3.1 description of every endpoint, generated from the handlers' zod schemas. */
export const handler = httpHandler(async () => {
  document ??= openApiDocument(settings().PUBLIC_BASE_URL);
  return ok(document, { 'Cache-Control': 'public, max-age=300' });
});
