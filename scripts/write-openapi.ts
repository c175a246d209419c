/**
 * `npm run openapi`: writes the OpenAPI 3.1 document from the route table and
 * the zod schemas the handlers validate with, to `openapi.json` (or the path
 * given) and to `lambdas/http/openapi/openapi.generated.json`, the copy the
 * GET /openapi.json function serves (so that function does not ship the whole
 * generator and zod with it). A unit test fails when the copy is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApiDocument } from '../lambdas/http/openapi/document';

export const GENERATED_COPY = join(__dirname, '..', 'lambdas', 'http', 'openapi', 'openapi.generated.json');

const out = process.argv[2] ?? 'openapi.json';
const served = `${JSON.stringify(openApiDocument(), null, 2)}\n`;
writeFileSync(GENERATED_COPY, served);
const document = openApiDocument(process.env.PUBLIC_BASE_URL);
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${out} and ${GENERATED_COPY}: ${Object.keys(document.paths ?? {}).length} paths`);
