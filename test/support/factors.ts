import { codeAt, TOTP_PERIOD_SECONDS } from '../../lambdas/core/factors/totp';
import { call, post, STRONG_PASSWORD } from './http';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** The last step each secret gave a code for: a step is accepted once, so the next code comes from a later step (within the ±1 drift). */
const lastStep = new Map<string, number>();

/**
 * A code of a step this secret has not used yet: the current step, else the
 * next one (accepted as clock drift), else it waits for a new step.
 */
export async function freshCode(secret: string): Promise<string> {
  for (;;) {
    const current = Math.floor(Date.now() / 1000 / TOTP_PERIOD_SECONDS);
    const step = Math.max(current, (lastStep.get(secret) ?? current - 1) + 1);
    if (step <= current + 1) {
      lastStep.set(secret, step);
      return codeAt(secret, step * TOTP_PERIOD_SECONDS * 1000);
    }
    await new Promise((resolve) => setTimeout(resolve, (current + 1) * TOTP_PERIOD_SECONDS * 1000 - Date.now() + 50));
  }
}

export interface EnrolledFactor {
  factorId: string;
  secret: string;
  recoveryCodes: string[];
}

/** Enrols and confirms a TOTP factor for the user of `accessToken`, through HTTP. */
export async function enrolTotp(baseUrl: string, accessToken: string, label = 'Phone'): Promise<EnrolledFactor> {
  const enrolled = await call(baseUrl, 'POST', '/login-flow/factors/totp', { json: { label }, headers: bearer(accessToken) });
  if (enrolled.status !== 201) throw new Error(`enrolment failed: ${enrolled.status} ${enrolled.text}`);
  const { factorId, secret } = enrolled.body as { factorId: string; secret: string };
  const confirmed = await call(baseUrl, 'POST', '/login-flow/factors/totp/confirm', {
    json: { factorId, code: await freshCode(secret) },
    headers: bearer(accessToken),
  });
  if (confirmed.status !== 200) throw new Error(`confirmation failed: ${confirmed.status} ${confirmed.text}`);
  return { factorId, secret, recoveryCodes: (confirmed.body.recoveryCodes as string[] | null) ?? [] };
}

/** Signs in through the Login Flow with the password and a fresh code: tokens whose session has amr [pwd, otp, mfa]. */
export async function signInWithCode(baseUrl: string, email: string, secret: string, password = STRONG_PASSWORD) {
  const response = await post(baseUrl, '/login-flow/login', { email, password, otp: await freshCode(secret) });
  if (response.status !== 200) throw new Error(`sign-in with a code failed: ${response.status} ${response.text}`);
  return response.body as { access_token: string; refresh_token: string };
}

/** Enrols a factor for an existing signed-in user and signs in again with a code: what admins need before the console and admin routes. */
export async function withSecondFactor(baseUrl: string, email: string, accessToken: string, password = STRONG_PASSWORD) {
  const factor = await enrolTotp(baseUrl, accessToken);
  const tokens = await signInWithCode(baseUrl, email, factor.secret, password);
  return { ...tokens, factor };
}

/** A signed-up test user (the portal and console helpers' shape) signed in again with a second factor: what admins need. */
export async function withFactorSignIn<User extends { email: string; password: string; accessToken: string; refreshToken: string }>(
  baseUrl: string,
  user: User,
): Promise<User & { factor: EnrolledFactor }> {
  const signedIn = await withSecondFactor(baseUrl, user.email, user.accessToken, user.password);
  return { ...user, accessToken: signedIn.access_token, refreshToken: signedIn.refresh_token, factor: signedIn.factor };
}
