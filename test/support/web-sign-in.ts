/**
 * The web sign-in's browser side without a browser: the start (its binding
 * cookie), the person's consent on the simulator's page, and the callback,
 * which sends the browser back to the page with the hand-off in the fragment.
 */

export interface StartedFlow {
  status: number;
  /** The provider's authorize URL (302 to the provider), or the page the start sent back to. */
  location: URL;
  /** The browser-binding cookie's name=value. */
  cookie: string;
}

export async function startWebSignIn(baseUrl: string, provider: 'apple' | 'google', query: Record<string, string>): Promise<StartedFlow> {
  const response = await fetch(`${baseUrl}/login-flow/web-sign-in/${provider}/start?${new URLSearchParams(query)}`, { redirect: 'manual' });
  return {
    status: response.status,
    location: new URL(response.headers.get('location') as string, baseUrl),
    cookie: (response.headers.get('set-cookie') ?? '').split(';')[0],
  };
}

/** The person consents on the simulator's page as `email`: the provider's answer (code + state) for the callback. */
export async function consentAs(authorize: URL, email: string): Promise<{ code: string; state: string }> {
  const form = new URLSearchParams(authorize.searchParams);
  form.set('login_email', email);
  const response = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  if (response.status === 302) {
    const back = new URL(response.headers.get('location') as string);
    return { code: back.searchParams.get('code') as string, state: back.searchParams.get('state') as string };
  }
  // Apple: an auto-submitting form_post page.
  const page = await response.text();
  const field = (name: string) => (page.match(new RegExp(`name="${name}" value="([^"]*)"`)) as RegExpMatchArray)[1];
  return { code: field('code'), state: field('state') };
}

/** The provider's answer at the callback (Google: GET, Apple: form POST); the page it sends the browser to and the fragment's fields. */
export async function answerCallback(baseUrl: string, provider: 'apple' | 'google', answer: { code: string; state: string }, cookie: string) {
  const response =
    provider === 'apple'
      ? await fetch(`${baseUrl}/login-flow/web-sign-in/apple/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams(answer),
          redirect: 'manual',
        })
      : await fetch(`${baseUrl}/login-flow/web-sign-in/google/callback?${new URLSearchParams(answer)}`, { headers: { cookie }, redirect: 'manual' });
  const location = new URL(response.headers.get('location') as string);
  return { status: response.status, page: `${location.pathname}${location.search}`, fragment: Object.fromEntries(new URLSearchParams(location.hash.slice(1))) };
}

export interface WebSignInReturn {
  /** The page the browser continues on (path and query). */
  page: string;
  handoff: string | null;
  error: string | null;
}

/** A whole sign-in as `email`: start, consent, callback. */
export async function signInThroughProvider(stackUrl: string, provider: 'apple' | 'google', email: string, returnTo = '/login'): Promise<WebSignInReturn> {
  const started = await startWebSignIn(stackUrl, provider, { return_to: returnTo });
  const back = await answerCallback(stackUrl, provider, await consentAs(started.location, email), started.cookie);
  return { page: back.page, handoff: back.fragment.federated ?? null, error: back.fragment.federated_error ?? null };
}
