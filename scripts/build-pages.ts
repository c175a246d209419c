/**
 * `npm run build:pages`: bundles each page's browser script with esbuild and
 * writes `lambdas/web/generated/<page>-script.json`, committed so that the
 * Lambda bundling and the local server need no build step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { GENERATED_DIR, generatedFile, generatedPath, PAGE_SCRIPTS } from './page-scripts';

mkdirSync(GENERATED_DIR, { recursive: true });
for (const page of PAGE_SCRIPTS) {
  const text = generatedFile(page);
  writeFileSync(generatedPath(page), text);
  console.log(`wrote ${generatedPath(page)} (${text.length} characters)`);
}
