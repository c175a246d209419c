/** Shared steps of the portal integration and browser tests. */
import { decodeJwt } from 'jose';
import { type Auth0Simulator, type Auth0SimulatorOptions, startAuth0Simulator } from '../../../local/simulators/auth0';
import type { EnrolledFactor } from '../../support/factors';
import { call, post, registration } from '../../support/http';
import { startTestStack, type TestStack } from '../../support/local-stack';
import { verifyEmail } from '../../support/verification';

export const SANDBOX_API = 'https://sandbox.api.example.com';
export const PRODUCTION_APIS = ['https://api.example.com', 'https://reports.example.com'];

export interface PortalStack {
  stack: TestStack;
  sandbox: Auth0Simulator;
  production: Auth0Simulator;
  stop(): Promise<void>;
}

/** Two simulated tenants and a local stack pointed at them, with one API in sandbox and two in production. */
export async function startPortalStack(env: Record<string, string> = {}, simulators: Auth0SimulatorOptions = {}): Promise<PortalStack> {
  const sandbox = await startAuth0Simulator({ tenant: 'sandbox', ...simulators });
  const production = await startAuth0Simulator({ tenant: 'production', ...simulators });
  const stack = await startTestStack({
    env: {
      ...sandbox.env('SANDBOX'),
      ...production.env('PRODUCTION'),
      SANDBOX_API_AUDIENCES: `${SANDBOX_API}=read:data write:data`,
      PRODUCTION_API_AUDIENCES: JSON.stringify({ [PRODUCTION_APIS[0]]: ['read:data'], [PRODUCTION_APIS[1]]: [] }),
      PARTNER_TIMEOUT_MS: '1000',
      PARTNER_MAX_RETRY_WAIT_MS: '2500',
      ...env,
    },
  });
  return {
    stack,
    sandbox,
    production,
    stop: async () => {
      await stack.stop();
      await sandbox.stop();
      await production.stop();
    },
  };
}

export interface PortalUser {
  email: string;
  password: string;
  userId: string;
  accessToken: string;
  refreshToken: string;
  /** The authenticator app it signed in with, when it has one (admins: test/integration/admin/helpers.ts). */
  factor?: EnrolledFactor;
}

/** Registers a user over HTTP and confirms their email through the emailed link (`verified: false` leaves it unconfirmed). */
/** `lang`: the language the account registers in (its profile's locale). */
export async function signUp(
  stack: TestStack,
  overrides: Record<string, unknown> = {},
  options: { verified?: boolean; lang?: string } = {},
): Promise<PortalUser> {
  const body = registration(overrides);
  const response = await post(stack.url, options.lang ? `/login-flow/register?lang=${options.lang}` : '/login-flow/register', body);
  if (response.status !== 200) throw new Error(`registration failed: ${response.status} ${response.text}`);
  const accessToken = response.body.access_token as string;
  if (options.verified ?? true) await verifyEmail(stack, String(body.email));
  return {
    email: String(body.email),
    password: String(body.password),
    userId: String(decodeJwt(accessToken).sub),
    accessToken,
    refreshToken: response.body.refresh_token,
  };
}

/** An API client for one signed-in user. */
export function as(stack: TestStack, user: PortalUser) {
  const headers = (extra: Record<string, string> = {}) => ({ authorization: `Bearer ${user.accessToken}`, ...extra });
  return {
    get: (path: string) => call(stack.url, 'GET', path, { headers: headers() }),
    post: (path: string, json?: unknown, extra?: Record<string, string>) => call(stack.url, 'POST', path, { json, headers: headers(extra) }),
    delete: (path: string) => call(stack.url, 'DELETE', path, { headers: headers() }),
  };
}

/** Exchanges a credential at the simulated tenant's token endpoint, as the team's service would. */
export async function clientToken(tenant: Auth0Simulator, clientId: string, clientSecret: string, audience: string): Promise<number> {
  const response = await fetch(`${tenant.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, audience }),
  });
  await response.text();
  return response.status;
}
