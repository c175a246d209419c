/**
 * `npm run openapi`: writes openapi.json (OpenAPI 3.1) from the route table
 * and the zod schemas the handlers validate with.
 */
import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../lambdas/http/openapi/document';

const out = process.argv[2] ?? 'openapi.json';
const document = openApiDocument(process.env.PUBLIC_BASE_URL);
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${out}: ${Object.keys(document.paths ?? {}).length} paths`);
