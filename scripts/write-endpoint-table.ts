/** `npm run endpoints`: rewrites the README's endpoint table from the route table. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROUTES } from '../lambdas/routes';
import { withEndpointTable } from './endpoint-table';

const path = join(__dirname, '..', 'README.md');
writeFileSync(path, withEndpointTable(readFileSync(path, 'utf8'), ROUTES));
console.log(`README.md: ${ROUTES.length} endpoints`);
