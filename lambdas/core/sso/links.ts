/**
 * The URLs the browser is sent to. Everything that comes from a partner is
 * percent-encoded, so a ticket or token can never change the URL's shape.
 * The Acronis target is ours (allow-listed) and goes in as a plain URL, as
 * Acronis's guide builds the link.
 */

/** Strips trailing slashes so `{base}/path` never has `//`. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}

/** Astrato: `{base}/auth/proxy/oem/ticket/{ticket}?embed`; the top-level window must open it. */
export function astratoTicketUrl(base: string, ticket: string): string {
  return `${trimBase(base)}/auth/proxy/oem/ticket/${encodeURIComponent(ticket)}?embed`;
}

/** `fragment`: the legacy `#ott=...&targetURI=...` (the default); `query`: the form Acronis now recommends. */
export type AcronisUrlStyle = 'fragment' | 'query';

/** The data-center URL from whatever was configured (`https://eu2-cloud.acronis.com`, with or without `/api/2`). */
export function acronisDataCenter(baseUrl: string): string {
  return trimBase(baseUrl).replace(/\/api\/2$/, '');
}

/**
 * Acronis, as its guide "Generating an external login URL" builds it:
 * `{dc}/api/2/idp/external-login#ott={quote(ott)}&targetURI={target}`, the
 * target a plain URL. The query style encodes both values, as query
 * parameters should be.
 */
export function acronisLoginUrl(dc: string, ott: string, targetUri: string, style: AcronisUrlStyle): string {
  const base = `${acronisDataCenter(dc)}/api/2/idp/external-login`;
  if (style === 'query') return `${base}?ott=${encodeURIComponent(ott)}&targetURI=${encodeURIComponent(targetUri)}`;
  return `${base}#ott=${encodeURIComponent(ott)}&targetURI=${fragmentSafe(targetUri)}`;
}

/**
 * Characters that would end or change the `targetURI` value inside the
 * fragment (`&` starts another parameter, `%` and `+` are decoded by
 * form-style parsers, whitespace ends a link in text). The allow-list refuses
 * targets holding them (see targets.ts); encoding them here too keeps this
 * function safe on its own.
 */
export const FRAGMENT_BREAKING = /[&%+\s]/;

function fragmentSafe(target: string): string {
  return target.replace(/[&%+\s]/g, (character) => encodeURIComponent(character));
}
