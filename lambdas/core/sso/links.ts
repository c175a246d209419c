/**
 * The URLs the browser is sent to. Everything that comes from a partner is
 * percent-encoded, so a ticket or token can never change the URL's shape.
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

/** Acronis: `{dc}/api/2/idp/external-login#ott={ott}&targetURI={target}` (or with `?`). */
export function acronisLoginUrl(dc: string, ott: string, targetUri: string, style: AcronisUrlStyle): string {
  const parameters = `ott=${encodeURIComponent(ott)}&targetURI=${encodeURIComponent(targetUri)}`;
  return `${acronisDataCenter(dc)}/api/2/idp/external-login${style === 'query' ? '?' : '#'}${parameters}`;
}
