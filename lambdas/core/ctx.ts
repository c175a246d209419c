/**
 * Applicaster's delete-account `ctx`: base64 of a JSON object that carries the
 * user's access token. Clients in the wild send standard or URL-safe base64,
 * padded or not, sometimes still URL-encoded, with the token under one of
 * three keys, either flat (`"a.b": v`) or nested (`{a: {b: v}}`).
 */
const TOKEN_PATHS = [
  ['quick-brick-login-flow', 'access_token'],
  ['zapp_login_plugin_oauth_tv_2_0', 'access_token'],
  ['quick-brick-login-flow', 'token'],
] as const;

export function accessTokenFromCtx(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let value = raw.trim();
  if (value.includes('%')) {
    try {
      value = decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  // A '+' that went through form decoding arrives as a space; base64 has no spaces.
  const base64 = value.replace(/ /g, '+').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!/^[A-Za-z0-9+/]*$/.test(base64) || base64.length % 4 === 1) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!parsed || typeof parsed !== 'object') return undefined;
  const record = parsed as Record<string, unknown>;
  for (const [scope, key] of TOKEN_PATHS) {
    const flat = record[`${scope}.${key}`];
    if (typeof flat === 'string' && flat) return flat;
    const nested = record[scope];
    if (nested && typeof nested === 'object') {
      const candidate = (nested as Record<string, unknown>)[key];
      if (typeof candidate === 'string' && candidate) return candidate;
    }
  }
  return undefined;
}
