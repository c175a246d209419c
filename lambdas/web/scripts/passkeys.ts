/**
 * Passkeys in the pages (docs/security.md, "Second factors and passkeys"), with @simplewebauthn/browser:
 * - sign in with a passkey alone: POST /login-flow/passkey/options, the browser's
 *   passkey prompt (or its autofill: conditional UI), POST /login-flow/passkey/login,
 *   which answers the Login Flow's tokens; the page then uses its bearer routes;
 * - add a passkey to the signed-in account: POST /login-flow/factors/passkeys/options,
 *   the browser creates it, POST /login-flow/factors/passkeys.
 */
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { $, type Answer, type ApiBody, postJson, sharedText } from './form';
import { resumeWebSignIn } from './web-sign-in';

export interface SignInTokens extends ApiBody {
  access_token?: string;
  refresh_token?: string;
}

interface ChallengeAnswer extends ApiBody {
  challengeId?: string;
  options?: PublicKeyCredentialRequestOptionsJSON & PublicKeyCredentialCreationOptionsJSON;
}

export const passkeysSupported = (): boolean => browserSupportsWebAuthn();

/** What a refused or cancelled browser prompt becomes: an answer the page shows like any other. */
function cancelled(error: unknown): Answer<SignInTokens> {
  const name = error instanceof Error ? error.name : '';
  const formError =
    name === 'NotAllowedError' || name === 'AbortError'
      ? sharedText('passkey.script.closed', 'The passkey prompt was closed. Try again, or sign in with your password.')
      : sharedText('passkey.script.unsupported', 'This browser could not use a passkey here. Sign in with your password.');
  return { ok: false, status: 0, body: { formError } };
}

/**
 * A passkey answer for `base` (the API prefix of the page): a fresh challenge,
 * the browser's prompt (`autofill`: the passkey offered in the email field's
 * suggestions, conditional UI), and the challenge's id to send with it.
 */
async function passkeyAnswer(base: string, autofill: boolean): Promise<Answer<ApiBody> | { challengeId: string; response: unknown }> {
  const started = await postJson<ChallengeAnswer>(`${base}/login-flow/passkey/options`, {});
  if (!started.ok || !started.body?.options || !started.body.challengeId) return started;
  const response = await startAuthentication({ optionsJSON: started.body.options, useBrowserAutofill: autofill });
  return { challengeId: started.body.challengeId, response };
}

/** The API prefix of any page: every page sits one path segment below it (`<base>/login`, `<base>/portal`, ...). */
export const pageBase = (): string => window.location.pathname.replace(/\/[^/]*\/?$/, '');

/** A passkey answer to send as the second factor (`passkey` beside a password, or in a step-up), or the refusal to show. */
export async function passkeySecondFactor(base = pageBase()): Promise<{ challengeId: string; response: unknown } | Answer<ApiBody>> {
  try {
    return await passkeyAnswer(base, false);
  } catch (error) {
    return cancelled(error);
  }
}

/** Signs in with a passkey alone: the Login Flow's token answer, or the refusal to show. */
export async function signInWithPasskey(base: string, autofill = false): Promise<Answer<SignInTokens>> {
  try {
    const answer = await passkeyAnswer(base, autofill);
    if ('ok' in answer) return answer;
    return await postJson<SignInTokens>(`${base}/login-flow/passkey/login`, answer);
  } catch (error) {
    return cancelled(error);
  }
}

/**
 * Wires a page's "Sign in with a passkey" button (shown only where the browser
 * can) and, where the browser supports it, conditional UI on the email field
 * (`autocomplete="username webauthn"`): `signedIn` gets the tokens, `refused`
 * the answer to show.
 */
export function passkeySignIn(options: {
  base: string;
  button?: string;
  signedIn: (tokens: SignInTokens) => void;
  refused: (answer: Answer<SignInTokens>) => void;
  busy?: (on: boolean) => void;
}): void {
  // The pages that offer a passkey offer Apple and Google as well, and go on the same way after either.
  resumeWebSignIn(options);
  const button = $<HTMLButtonElement>(options.button ?? 'passkey-sign-in');
  if (!button || !passkeysSupported()) return;
  button.hidden = false;
  const settle = (answer: Answer<SignInTokens>, fromButton: boolean) => {
    options.busy?.(false);
    if (answer.ok && answer.body?.access_token) return options.signedIn(answer.body);
    // A closed autofill prompt is no error to show: it ends whenever the button starts its own prompt.
    if (fromButton || answer.status !== 0) options.refused(answer);
  };
  button.addEventListener('click', () => {
    options.busy?.(true);
    signInWithPasskey(options.base).then((answer) => settle(answer, true));
  });
  browserSupportsWebAuthnAutofill().then((supported) => {
    if (supported) signInWithPasskey(options.base, true).then((answer) => settle(answer, false));
  });
}

type Send = <T = ApiBody>(method: string, path: string, body?: unknown) => Promise<{ ok: boolean; status: number; body: T | null }>;

/** Adds a passkey to the signed-in account through the page's `send`: the factor and, for the first factor, the recovery codes. */
export async function addPasskey<T>(send: Send, label: string): Promise<{ ok: boolean; status: number; body: (T & ApiBody) | ApiBody | null }> {
  const started = await send<ChallengeAnswer>('POST', '/login-flow/factors/passkeys/options');
  if (!started.ok || !started.body?.options || !started.body.challengeId) return started;
  let response: unknown;
  try {
    response = await startRegistration({ optionsJSON: started.body.options });
  } catch (error) {
    return cancelled(error);
  }
  return send<T & ApiBody>('POST', '/login-flow/factors/passkeys', { challengeId: started.body.challengeId, response, label });
}
