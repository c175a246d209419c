import { webCallbackUri } from '../../lambdas/core/federation/web-sign-in';
import { startAcronisSimulator } from '../simulators/acronis';
import { startAppleSimulator } from '../simulators/apple';
import { startAstratoSimulator } from '../simulators/astrato';
import { startAuth0Simulator } from '../simulators/auth0';
import { startGoogleSimulator } from '../simulators/google';
import { DEMO_LEGACY_USERS, startLegacyLoginSimulator } from '../simulators/legacy-login';

/**
 * Partners the local stack can stand in for. When a partner has no
 * credentials in the environment, `npm start` (and the tests) start its
 * simulator from `local/simulators/` and point the handlers at it.
 */
export interface RunningPartner {
  /** Environment variables for the handlers (base URL, client id, secret of the simulator). */
  env: Record<string, string>;
  /** One line for the start banner, e.g. "Astrato simulator on http://127.0.0.1:4001". */
  describe: string;
  stop(): Promise<void>;
}

export interface LocalPartner {
  name: string;
  /** True when the environment already configures the real partner (or another instance). */
  configured(env: NodeJS.ProcessEnv): boolean;
  /** `publicBaseUrl`: the stack's PUBLIC_BASE_URL (the sign-in providers register the web flow's redirect URIs under it). */
  start(context?: { publicBaseUrl: string }): Promise<RunningPartner>;
}

/** Each partner issue adds its entry here. */
export const LOCAL_PARTNERS: LocalPartner[] = [
  {
    name: 'astrato',
    configured: (env) => !!env.ASTRATO_SECRET_ARN || !!(env.ASTRATO_CLIENT_ID && env.ASTRATO_CLIENT_SECRET),
    start: async () => {
      const simulator = await startAstratoSimulator();
      return {
        env: { ASTRATO_BASE_URL: simulator.url, ASTRATO_CLIENT_ID: simulator.clientId, ASTRATO_CLIENT_SECRET: simulator.clientSecret },
        describe: `Astrato:   simulator on ${simulator.url} (set ASTRATO_CLIENT_ID and ASTRATO_CLIENT_SECRET to use the real one)`,
        stop: () => simulator.stop(),
      };
    },
  },
  {
    name: 'acronis',
    configured: (env) => !!env.ACRONIS_SECRET_ARN || !!(env.ACRONIS_CLIENT_ID && env.ACRONIS_CLIENT_SECRET),
    start: async () => {
      const simulator = await startAcronisSimulator();
      return {
        env: { ACRONIS_BASE_URL: simulator.url, ACRONIS_CLIENT_ID: simulator.clientId, ACRONIS_CLIENT_SECRET: simulator.clientSecret },
        describe: `Acronis:   simulator on ${simulator.url} (set ACRONIS_BASE_URL, ACRONIS_CLIENT_ID and ACRONIS_CLIENT_SECRET to use the real one)`,
        stop: () => simulator.stop(),
      };
    },
  },
  auth0Tenant('sandbox', 'https://sandbox.api.example.com=read:data write:data'),
  auth0Tenant('production', 'https://api.example.com=read:data write:data'),
  {
    // Lazy migration (docs/migration.md): set LEGACY_LOGIN_URL to the old API, or to nothing (LEGACY_LOGIN_URL=) to switch it off.
    name: 'legacy-login',
    configured: (env) => env.LEGACY_LOGIN_URL !== undefined,
    start: async () => {
      const simulator = await startLegacyLoginSimulator();
      return {
        env: { LEGACY_LOGIN_URL: simulator.loginUrl, LEGACY_PROFILE_URL: simulator.profileUrl },
        describe: `Legacy login API: simulator on ${simulator.url} (sign in as ${DEMO_LEGACY_USERS[0].email} / ${DEMO_LEGACY_USERS[0].password} to migrate; set LEGACY_LOGIN_URL to use a real one, or empty to switch it off)`,
        stop: () => simulator.stop(),
      };
    },
  },
  {
    // Native Sign in with Apple (docs/native-sign-in.md): the simulator's URL is the issuer the handlers trust.
    name: 'apple',
    configured: (env) => !!env.APPLE_SECRET_ARN || !!env.APPLE_CLIENT_IDS,
    start: async (context) => {
      const simulator = await startAppleSimulator({ redirectUris: context ? [webCallbackUri(context.publicBaseUrl, 'apple')] : [] });
      return {
        env: simulator.stackEnv(),
        describe: `Apple:     simulator on ${simulator.url} (set APPLE_CLIENT_IDS, APPLE_TEAM_ID, APPLE_KEY_ID and APPLE_PRIVATE_KEY to use the real one)`,
        stop: () => simulator.stop(),
      };
    },
  },
  {
    name: 'google',
    configured: (env) => !!env.GOOGLE_SECRET_ARN || !!env.GOOGLE_CLIENT_IDS,
    start: async (context) => {
      const simulator = await startGoogleSimulator({ redirectUris: context ? [webCallbackUri(context.publicBaseUrl, 'google')] : [] });
      return {
        env: simulator.stackEnv(),
        describe: `Google:    simulator on ${simulator.url} (set GOOGLE_CLIENT_IDS and GOOGLE_CLIENT_SECRET to use the real one)`,
        stop: () => simulator.stop(),
      };
    },
  },
];

/**
 * An Auth0 tenant of the developer portal: without SANDBOX_AUTH0_SECRET_ARN or
 * SANDBOX_AUTH0_MANAGEMENT_CLIENT_DOMAIN (PRODUCTION_ likewise) the local stack
 * runs the Management API simulator, with an example API to grant unless
 * <PREFIX>_API_AUDIENCES is set.
 */
function auth0Tenant(environment: 'sandbox' | 'production', exampleAudiences: string): LocalPartner {
  const prefix = environment === 'sandbox' ? 'SANDBOX' : 'PRODUCTION';
  return {
    name: `auth0-${environment}`,
    configured: (env) => !!env[`${prefix}_AUTH0_SECRET_ARN`] || !!env[`${prefix}_AUTH0_MANAGEMENT_CLIENT_DOMAIN`],
    start: async () => {
      const simulator = await startAuth0Simulator({ tenant: environment });
      return {
        env: { ...simulator.env(prefix), ...(process.env[`${prefix}_API_AUDIENCES`] ? {} : { [`${prefix}_API_AUDIENCES`]: exampleAudiences }) },
        describe: `Auth0 ${environment}: simulator on ${simulator.url} (set ${prefix}_AUTH0_MANAGEMENT_CLIENT_DOMAIN, _ID and _SECRET to use a real tenant)`,
        stop: () => simulator.stop(),
      };
    },
  };
}
