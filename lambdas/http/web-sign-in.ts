import { optionalEnv, settings } from '../config';
import { FEDERATED_PROVIDERS, type FederatedProvider } from '../core/federation/providers';
import { allowedReturnTo } from './return-to';

/**
 * Where a web sign-in continues: a page of THIS service only (it reads the
 * hand-off from its address's fragment), checked by core/return-to.ts; /login otherwise.
 */
export function pageReturnTo(value: string | undefined): string {
  const base = new URL(settings().PUBLIC_BASE_URL);
  const allowed = allowedReturnTo(value);
  const url = allowed ? new URL(allowed) : undefined;
  const fallback = new URL(`${base.pathname.replace(/\/+$/, '')}/login`, base);
  const target = url && url.origin === base.origin ? url : fallback;
  target.hash = '';
  return target.toString();
}

/** The callback's answer to the browser: the page, with the hand-off (or the failure's code) in the fragment, never sent to any server. */
export const pageWithFragment = (page: string, fragment: Record<string, string>): string => `${page.replace(/#.*$/, '')}#${new URLSearchParams(fragment)}`;

/**
 * The browser-binding cookie. SameSite=None (with Secure and HttpOnly): Apple
 * answers with a cross-site form POST (`response_mode=form_post`), which a
 * Lax cookie would not accompany, so the binding would fail for every Apple
 * sign-in. Cross-site requests cannot abuse it: the cookie only proves "this
 * browser started the flow whose state it names", checked together with the
 * single-use state, and is scoped to the web sign-in paths.
 */
export function webSignInCookie(name: string, value: string, publicBaseUrl: string, maxAgeSeconds: number): string {
  const path = `${new URL(publicBaseUrl).pathname.replace(/\/+$/, '')}/login-flow/web-sign-in/`;
  return `${name}=${value}; Path=${path}; Max-Age=${maxAgeSeconds}; HttpOnly; Secure; SameSite=None`;
}

/** A cookie's value from the request's Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * The providers the pages offer: WEB_SIGN_IN_PROVIDERS (comma-separated; the
 * page functions have no grant on the provider secrets), or locally those
 * with client ids (the simulators when none are configured).
 */
export function webSignInProviders(): FederatedProvider[] {
  const listed = settings().WEB_SIGN_IN_PROVIDERS;
  if (listed !== undefined)
    return FEDERATED_PROVIDERS.filter((provider) =>
      listed
        .split(',')
        .map((name) => name.trim())
        .includes(provider),
    );
  return FEDERATED_PROVIDERS.filter((provider) => !!optionalEnv(`${provider.toUpperCase()}_CLIENT_IDS`));
}
