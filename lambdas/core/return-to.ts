/**
 * Where a success page's "Continue" may lead (`return_to`): a path on this
 * service, or an absolute http(s) URL whose origin is this service's or one
 * listed in ALLOWED_ORIGINS (the origins already trusted to call the API).
 * `*` there allows any caller for CORS, never any redirect target: anything
 * else is dropped, and the page falls back to /account or "you can close
 * this window". Never an open redirect.
 */
export function safeReturnTo(value: string | undefined, trusted: { publicBaseUrl: string; allowedOrigins: readonly string[] }): string | undefined {
  const candidate = (value ?? '').trim();
  if (!candidate || candidate.length > 2000) return undefined;
  let base: URL;
  try {
    base = new URL(trusted.publicBaseUrl);
  } catch {
    return undefined;
  }
  // A path of this service: "/x" but never "//host" or "/\host" (browsers read both as another host).
  if (/^\/(?![/\\])/.test(candidate)) return new URL(candidate, base).toString();
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  if (url.username || url.password) return undefined;
  const origins = new Set([base.origin, ...trusted.allowedOrigins.filter((origin) => origin !== '*')]);
  return origins.has(url.origin) ? url.toString() : undefined;
}
