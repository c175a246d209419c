/**
 * The browser scripts of the web pages, bundled from `lambdas/web/scripts/`
 * into the exact text each page inlines (and hashes for its CSP). Shared by
 * `npm run build:pages`, which writes them to `lambdas/web/generated/<page>-script.json`, and
 * by the unit test that fails when a written copy is stale.
 */
import { join } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = join(__dirname, '..');
export const SCRIPTS_DIR = join(ROOT, 'lambdas', 'web', 'scripts');
export const GENERATED_DIR = join(ROOT, 'lambdas', 'web', 'generated');

/** One entry per page: its script module under `lambdas/web/scripts/`. */
export const PAGE_SCRIPTS = ['login', 'activate', 'reset-password', 'verify-email', 'portal', 'account', 'signup', 'email-change'] as const;
export type PageScript = (typeof PAGE_SCRIPTS)[number];

/** The bundled text of one page's script: an IIFE for the browsers embedded TVs and portals use. */
export function bundlePageScript(page: PageScript): string {
  const result = buildSync({
    entryPoints: [join(SCRIPTS_DIR, `${page}.ts`)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2017'],
    minify: true,
    legalComments: 'none',
    charset: 'ascii',
    tsconfig: join(SCRIPTS_DIR, 'tsconfig.json'),
  });
  const text = result.outputFiles[0]?.text.trim() ?? '';
  // The text goes inside <script>...</script>: a closing tag or comment opener in it would end or confuse the element.
  if (/<\/script|<!--/i.test(text)) throw new Error(`${page}: the bundled script contains </script or <!--`);
  return text;
}

export const generatedPath = (page: PageScript): string => join(GENERATED_DIR, `${page}-script.json`);

/** The file `lambdas/web/<page>-page.ts` imports: the bundled text as one JSON string (JSON, so no formatter rewrites it). */
export const generatedFile = (page: PageScript): string => `${JSON.stringify(bundlePageScript(page))}\n`;
