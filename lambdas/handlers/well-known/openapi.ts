import { settings } from '../../config';
import generated from '../../http/openapi/openapi.generated.json';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';

let document: Record<string, unknown> | undefined;

/**
 * GET /openapi.json: the OpenAPI 3.1 description of every endpoint. The JSON
 * is generated from the handlers' zod schemas by `npm run openapi`; a unit
 * test fails when it is stale. Only the server URL is added here.
 */
export const handler = httpHandler(async () => {
  const { openapi, info, ...rest } = generated as Record<string, unknown>;
  document ??= { openapi, info, servers: [{ url: settings().PUBLIC_BASE_URL }], ...rest };
  return ok(document, { 'Cache-Control': 'public, max-age=300' });
});
