import { createHash } from 'node:crypto';
import { type Brand, DEFAULT_BRAND, supportLink } from '../core/branding';
import { LOCALE_NAMES, LOCALES, type Locale } from '../core/i18n/locales';
import { languageCookie } from '../core/i18n/negotiate';
import { type Translator, translator } from '../core/i18n/translate';
import { type HttpResult, html } from '../http/responses';

/**
 * The web pages (login, activation, password reset, portal) share one look
 * and one Content-Security-Policy: no external anything, no inline script or
 * style except the exact blocks hashed here, no framing restrictions beyond
 * `frame-ancestors` from configuration (the login page must work in an iframe).
 */
export interface PageOptions {
  title: string;
  /** Inner HTML of <main>; escape anything dynamic with `escapeHtml`. */
  body: string;
  /** The page's script, inlined and allowed by its hash. */
  script?: string;
  /** Extra CSS for this page, inlined and allowed by its hash. */
  style?: string;
  /** Values for `frame-ancestors`; default 'none'. */
  frameAncestors?: string[];
  /** A wider card, for pages with tables (the portal). */
  wide?: boolean;
  /** Data the script reads from a JSON island (`#page-data`), never interpolated into script text. */
  data?: Record<string, unknown>;
  /** Language and brand of this response (handlers/web/page-look.ts); default English and LoginBridge's own look. */
  look?: PageLook;
}

/** The language and the brand a page is shown in. */
export interface PageLook {
  locale: Locale;
  /** The request chose the language with `?lang=`: remember it in the `lang` cookie. */
  remember: boolean;
  brand: Brand;
  /** The request's query, kept by the language links (a page opened from an emailed link keeps its token). */
  query: Record<string, string>;
}

export const DEFAULT_LOOK: PageLook = { locale: 'en', remember: false, brand: DEFAULT_BRAND, query: {} };

/** The translator of a look: what page modules call `t` with. */
export const textsOf = (look: PageLook = DEFAULT_LOOK): Translator => translator(look.locale);

export const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const BASE_STYLE = `
:root{color-scheme:light dark;--brand:#1f4fd1;--accent:#1f4fd1;--danger:#b3261e;--muted:#5f6368;--bg:#f6f7fb;--card:#fff;--text:#1b1c1f;--border:#c9ccd4}
@media (prefers-color-scheme:dark){:root{--accent:#8ab4f8;--danger:#f28b82;--muted:#9aa0a6;--bg:#121316;--card:#1e1f23;--text:#e8eaed;--border:#3c4043}}
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:calc(100% - 2rem);max-width:26rem;margin:1rem;padding:2rem;background:var(--card);border:1px solid var(--border);border-radius:12px}
main.wide{max-width:56rem}
h1{font-size:1.5rem;margin:0 0 1rem}
p.hint{color:var(--muted);font-size:.9rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input[type=email],input[type=password],input[type=text]{width:100%;padding:.6rem .75rem;font:inherit;color:inherit;background:transparent;border:1px solid var(--border);border-radius:8px}
input:focus-visible,button:focus-visible,a:focus-visible,select:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
input[aria-invalid=true]{border-color:var(--danger)}
.field-error{color:var(--danger);font-size:.875rem;margin:.25rem 0 0;min-height:1.25em}
.form-error{color:var(--danger);background:color-mix(in srgb,var(--danger) 10%,transparent);border-radius:8px;padding:.75rem;margin:1rem 0 0}
.form-error:empty{display:none}
.notice{background:color-mix(in srgb,var(--accent) 10%,transparent);border-radius:8px;padding:.75rem;margin:1rem 0 0}
button{margin-top:1.5rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:var(--brand);border:0;border-radius:8px;cursor:pointer}
button.secondary{background:transparent;color:var(--accent);border:1px solid var(--accent)}
button[aria-busy=true]{opacity:.7;cursor:progress}
button[aria-busy=true]::after{content:" …"}
a.web-sign-in{display:flex;align-items:center;justify-content:center;gap:.5rem;margin-top:.75rem;padding:.7rem;border-radius:8px;font-weight:600;text-decoration:none;border:1px solid #747775}
a.web-sign-in.apple{background:#000;color:#fff;border-color:#000}
a.web-sign-in.google{background:#fff;color:#1f1f1f}
@media (prefers-color-scheme:dark){a.web-sign-in.apple{background:#fff;color:#000;border-color:#fff}a.web-sign-in.google{background:#131314;color:#e3e3e3;border-color:#8e918f}}
.web-sign-in-terms{margin-top:1rem}
.web-sign-in-terms .check{display:flex;gap:.6rem;align-items:flex-start}
.web-sign-in-terms .check input{margin:.3rem 0 0;width:1.1rem;height:1.1rem;flex:none}
.web-sign-in-terms .check label{margin:0;font-weight:400}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* header, main and footer stacked and centred; a page that starts at the top sets justify-content:flex-start */
body{flex-direction:column}
.brand-bar,.page-footer{width:100%;max-width:56rem;display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.5rem 1rem;padding:.75rem 1rem;font-size:.9rem}
.brand-home{display:flex;align-items:center;gap:.5rem;color:var(--text);font-weight:700;text-decoration:none;overflow-wrap:anywhere}
.brand-home img{max-height:2rem;max-width:10rem}
.languages{display:flex;flex-wrap:wrap;gap:.25rem .75rem;margin:0;padding:0;list-style:none}
.languages a,.page-footer a{color:var(--accent)}
.languages a[aria-current=true]{color:var(--text);font-weight:600;text-decoration:none}
.page-footer ul{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
main{overflow-wrap:break-word;hyphens:auto}
`;

/** The brand's colors as the custom properties the style uses: buttons on `--brand`, links and focus in `--accent` (light scheme). */
const brandStyle = (brand: Brand): string => `:root{--brand:${brand.primaryColor}}@media (prefers-color-scheme:light){:root{--accent:${brand.accentColor}}}\n`;

/** This page in another language: the same query with `lang` replaced (relative, so it works under a stage path). */
function languageHref(query: Record<string, string>, locale: Locale): string {
  const params = new URLSearchParams({ ...query, lang: locale });
  return escapeHtml(`?${params.toString()}`);
}

const header = (look: PageLook, t: Translator): string => {
  const { brand } = look;
  const logo = brand.logoUrl ? `<img src="${escapeHtml(brand.logoUrl)}" alt="${escapeHtml(brand.productName)}">` : escapeHtml(brand.productName);
  const languages = LOCALES.map(
    (locale) =>
      `<li><a href="${languageHref(look.query, locale)}" lang="${locale}" hreflang="${locale}"${locale === look.locale ? ' aria-current="true"' : ''}>${escapeHtml(LOCALE_NAMES[locale])}</a></li>`,
  ).join('');
  return `<header class="brand-bar">
<a class="brand-home" href="./" aria-label="${escapeHtml(t.t('shell.home', { product: brand.productName }))}">${logo}</a>
<nav aria-label="${escapeHtml(t.t('shell.languageSwitch'))}"><span class="visually-hidden">${escapeHtml(t.t('shell.language'))}: </span><ul class="languages">${languages}</ul></nav>
</header>`;
};

const footer = (brand: Brand, t: Translator): string => {
  const links = [
    [supportLink(brand), t.t('shell.support')],
    [brand.termsUrl, t.t('shell.terms')],
    [brand.privacyUrl, t.t('shell.privacy')],
  ].filter((link): link is [string, string] => Boolean(link[0]));
  if (links.length === 0) return '';
  return `<footer class="page-footer"><ul>${links.map(([href, label]) => `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a></li>`).join('')}</ul></footer>`;
};

/** img-src: the page's own images, and the logo's origin when the brand's logo lives elsewhere. */
const imageSources = (brand: Brand): string => ["'self'", 'data:', ...(brand.logoUrl ? [new URL(brand.logoUrl).origin] : [])].join(' ');

/** A complete page with its CSP, security headers and `Cache-Control: no-store`. */
export function renderPage(options: PageOptions): HttpResult {
  const look = options.look ?? DEFAULT_LOOK;
  const t = textsOf(look);
  const style = BASE_STYLE + brandStyle(look.brand) + (options.style ?? '');
  const dataIsland = options.data ? `<script type="application/json" id="page-data">${JSON.stringify(options.data).replace(/</g, '\\u003c')}</script>` : '';
  const page = `<!doctype html>
<html lang="${look.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(`${options.title} · ${look.brand.productName}`)}</title>
<style>${style}</style>
</head>
<body>
${header(look, t)}
<main${options.wide ? ' class="wide"' : ''}>
${options.body}
</main>
${footer(look.brand, t)}
${dataIsland}
${options.script ? `<script>${options.script}</script>` : ''}
</body>
</html>`;
  const csp = [
    "default-src 'none'",
    `style-src ${hash(style)}`,
    options.script ? `script-src ${hash(options.script)}` : "script-src 'none'",
    "connect-src 'self'",
    `img-src ${imageSources(look.brand)}`,
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${(options.frameAncestors ?? ["'none'"]).join(' ')}`,
  ].join('; ');
  const framable = (options.frameAncestors ?? []).some((value) => value !== "'none'");
  return html(page, {
    'Content-Security-Policy': csp,
    // X-Frame-Options for browsers without frame-ancestors; it has no way to say "these origins", so framable pages omit it.
    ...(framable ? {} : { 'X-Frame-Options': 'DENY' }),
    'Cache-Control': 'no-store',
    'Content-Language': look.locale,
    ...(look.remember ? { 'Set-Cookie': languageCookie(look.locale) } : {}),
  });
}
