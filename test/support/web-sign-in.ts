/**
 * The web sign-in's browser side without a browser: the start (its binding
 * cookie), the person's consent on the simulator's page, and the callback,
 * which sends the browser back to the page with the hand-off in the fragment.
 */
export interface WebSignInReturn {
  /** The page the browser continues on (path and query). */
  page: string;
  handoff: string | null;
  error: string | null;
}

export async function signInThroughProvider(stackUrl: string, provider: 'apple' | 'google', email: string, returnTo = '/login'): Promise<WebSignInReturn> {
  const started = await fetch(`${stackUrl}/login-flow/web-sign-in/${provider}/start?return_to=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
  const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0];
  const authorize = new URL(started.headers.get('location') as string);
  const form = new URLSearchParams(authorize.searchParams);
  form.set('login_email', email);
  const consented = await fetch(`${authorize.origin}${authorize.pathname}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form,
    redirect: 'manual',
  });
  let answer: URLSearchParams;
  if (consented.status === 302) {
    answer = new URL(consented.headers.get('location') as string).searchParams;
  } else {
    // Apple: an auto-submitting form_post page.
    const page = await consented.text();
    const field = (name: string) => (page.match(new RegExp(`name="${name}" value="([^"]*)"`)) as RegExpMatchArray)[1];
    answer = new URLSearchParams({ code: field('code'), state: field('state') });
  }
  const back =
    provider === 'apple'
      ? await fetch(`${stackUrl}/login-flow/web-sign-in/apple/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
          body: new URLSearchParams({ code: answer.get('code') ?? '', state: answer.get('state') ?? '' }),
          redirect: 'manual',
        })
      : await fetch(
          `${stackUrl}/login-flow/web-sign-in/google/callback?${new URLSearchParams({ code: answer.get('code') ?? '', state: answer.get('state') ?? '' })}`,
          {
            headers: { cookie },
            redirect: 'manual',
          },
        );
  const location = new URL(back.headers.get('location') as string);
  const fragment = new URLSearchParams(location.hash.slice(1));
  return { page: `${location.pathname}${location.search}`, handoff: fragment.get('federated'), error: fragment.get('federated_error') };
}
