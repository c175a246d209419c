/**
 * Text one user chose (a first name, a team name) that an email shows to
 * someone. Mail to other people's inboxes must not become a channel for
 * links or markup under the platform's name, so such text is cut to a short
 * plain phrase: tags, URLs, bare domains (`example.com`), email addresses and
 * markup characters go, whitespace collapses, and the length is bounded.
 */
export const MAX_SHOWN_TEXT = 40;

const TAG = /<[^>]*>?/g;
// Anything with a scheme (http:, javascript:, data: ...) or starting with www.
const SCHEMED = /\b[a-z][a-z0-9+.-]*:\/*\S*|\bwww\.\S*/gi;
// word.word (a bare domain such as example.com or evil.co.uk, or an address's domain), with any path after it.
const DOMAIN_LIKE = /\S*[\p{L}\p{N}-](?:\.|\u3002|\uff61)[\p{L}\p{N}-]{2,}\S*/gu;
// Markup and the characters mail programs turn into links or formatting.
const MARKUP = /[<>"`&\\/@[\](){}|*_~#=:;%$^]/g;
// Control characters and invisible direction marks (they can disguise what a line says).
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** A plain, bounded phrase made from user-chosen text; '' when nothing safe is left. */
export function shownText(value: string | undefined, maxLength = MAX_SHOWN_TEXT): string {
  if (!value) return '';
  const plain = value
    .normalize('NFKC')
    .replace(INVISIBLE, ' ')
    .replace(TAG, ' ')
    .replace(SCHEMED, ' ')
    .replace(DOMAIN_LIKE, ' ')
    .replace(MARKUP, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (plain.length <= maxLength) return plain;
  return `${[...plain]
    .slice(0, maxLength - 1)
    .join('')
    .trimEnd()}…`;
}
