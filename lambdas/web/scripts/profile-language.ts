/**
 * The account's own language on a signed-in page (/account from its profile,
 * /portal from the team answer's `you.locale`): when the profile has a
 * `locale` the page is not in, and the visitor made no choice (no `?lang=`,
 * no `lang` cookie), the page switches to it in place, without a reload (the
 * tokens live in memory only: a reload would sign the person out). The page
 * is fetched again with `Accept-Language: <locale>`, which the server honours
 * only when no choice was made and which sets no cookie; its texts replace
 * the static markup's (same template, same element tree) and its messages
 * the script's. The caller then redraws what the scripts drew.
 */
import { readPageData } from './form';
import { pageLang, usePageLanguage } from './page-texts';

const TRANSLATED_ATTRIBUTES = ['aria-label', 'alt', 'placeholder'];

const chosenByVisitor = (): boolean => new URLSearchParams(window.location.search).has('lang') || /(?:^|;\s*)lang=/.test(document.cookie);

/** The same element in the live page: same child indexes from <body> (script-drawn nodes are only ever appended). */
function liveTwin(fetched: Element, fetchedBody: HTMLElement): Element | null {
  const path: number[] = [];
  for (let node: Element = fetched; node !== fetchedBody; node = node.parentElement as Element) {
    if (!node.parentElement) return null;
    path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
  }
  let live: Element | undefined = document.body;
  for (const index of path) live = live?.children[index];
  return live && live.tagName === fetched.tagName ? live : null;
}

function copyTexts(fetched: Element, live: Element): void {
  fetched.childNodes.forEach((node, index) => {
    const twin = live.childNodes[index];
    if (node.nodeType === Node.TEXT_NODE && twin?.nodeType === Node.TEXT_NODE) twin.textContent = node.textContent;
  });
  for (const name of TRANSLATED_ATTRIBUTES) {
    const value = fetched.getAttribute(name);
    if (value !== null && live.hasAttribute(name)) live.setAttribute(name, value);
  }
}

/** Resolves true when the page switched to `locale`. */
export async function followProfileLanguage(locale: string | null | undefined): Promise<boolean> {
  if (!locale || locale === pageLang || chosenByVisitor()) return false;
  const answer = await fetch(window.location.pathname, { headers: { 'Accept-Language': locale }, credentials: 'same-origin' }).catch(() => null);
  if (!answer?.ok) return false;
  const fetched = new DOMParser().parseFromString(await answer.text(), 'text/html');
  if (fetched.documentElement.lang !== locale) return false;
  for (const element of Array.from(fetched.body.querySelectorAll('*'))) {
    if (element.tagName === 'SCRIPT') continue;
    const live = liveTwin(element, fetched.body);
    if (live) copyTexts(element, live);
  }
  document.title = fetched.title;
  document.documentElement.lang = locale;
  for (const link of Array.from(document.querySelectorAll('.languages a'))) {
    if (link.getAttribute('lang') === locale) link.setAttribute('aria-current', 'true');
    else link.removeAttribute('aria-current');
  }
  const island = fetched.getElementById('page-data');
  // form.ts reads its texts (and the API answers' sentences) from the island: it speaks the new language too.
  const liveIsland = document.getElementById('page-data');
  if (island?.textContent && liveIsland) liveIsland.textContent = island.textContent;
  usePageLanguage(
    locale,
    (JSON.parse(island?.textContent || '{}') as { messages?: Record<string, string> }).messages ??
      readPageData<{ messages?: Record<string, string> }>().messages,
  );
  return true;
}
