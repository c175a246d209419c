/**
 * The portal's shapes of the answers it reads (see the OpenAPI document for
 * the full ones) and its authenticated `send`: tokens live in this module's
 * closure only, never in storage, and one refresh is tried on a 401.
 */
import type { Answer, ApiBody } from './form';

export interface Environment {
  available: boolean;
  message?: string;
  token_url?: string;
  audiences?: string[];
}

export interface Credential {
  client_id: string;
  name: string;
  environment: string;
  audiences: string[];
  created_at: string;
}

export interface CredentialList {
  environments?: Record<string, Environment>;
  credentials?: Credential[];
}

export interface IssuedSecret {
  environment: string;
  client_id: string;
  client_secret: string;
  token_url: string;
  audiences?: string[];
}

export interface Member {
  user_id: string;
  email: string;
  you?: boolean;
}

export interface TeamView {
  you: { email: string; is_admin: boolean; locale?: string };
  team: { name: string };
  members: Member[];
  invitations: { email: string }[];
}

export interface Invitation {
  email: string;
  expires_at: string;
  invitation_url: string;
}

export interface AdminInvitations {
  invitations: { id: string; kind: 'admin' | 'user-admin'; email: string; invited_by: string; expires_at: string }[];
}

export interface AdminTeams {
  teams: { name: string; member_count: number; credentials: { name: string; environment: string }[] }[];
}

export interface Session {
  session_id: string;
  client: string;
  client_id?: string;
  started_at: string;
  last_used_at: string;
  expires_at: string;
}

export interface UserCard {
  user_id: string;
  email: string;
  first_name: string;
  last_name: string;
  disabled_at?: string | null;
  email_verified: boolean;
  email_verified_at?: string | null;
  backoff: { failures: number; locked_until?: string | null };
  created_at: string;
  last_sign_in_at?: string | null;
  team?: { name: string } | null;
  permissions: string[];
  device_grants: unknown[];
  sessions: Session[];
}

export interface AuditEntries {
  entries: { action: string; at: string; actor_email: string; changes: Record<string, { before: unknown; after: unknown }> }[];
}

/** Every answer the portal reads: the error shape or one of the views above, told apart by the call that made it. */
// biome-ignore lint/suspicious/noExplicitAny: each call site names the view it expects
export type PortalAnswer<T = any> = Answer<T & ApiBody>;

interface Tokens {
  access: string;
  refresh?: string;
}

/**
 * `stepUp` (scripts/second-factor.ts `stepUpPrompt`): an answer 403 `step_up_required`
 * asks for a code, and once the session is stepped up the same request goes once more.
 */
export function portalApi(base: string, onSessionEnded: () => void, options: { stepUp?: () => Promise<boolean> } = {}) {
  let tokens: Tokens | null = null;

  function refresh(): Promise<boolean> {
    if (!tokens?.refresh) return Promise.resolve(false);
    return fetch(`${base}/login-flow/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      credentials: 'omit',
      cache: 'no-store',
      body: JSON.stringify({ refresh_token: tokens.refresh }),
    })
      .then((response) => {
        if (!response.ok) return false;
        return response.json().then((body: { access_token: string; refresh_token?: string }) => {
          tokens = { access: body.access_token, refresh: body.refresh_token };
          return true;
        });
      })
      .catch(() => false);
  }

  function send<T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<PortalAnswer<T>> {
    return sendOnce<T>(method, path, body, headers).then((answer) => {
      const refusal = answer.body as ApiBody | null;
      if (answer.status !== 403 || !refusal || refusal.error !== 'step_up_required' || !options.stepUp) return answer;
      return options.stepUp().then((stepped) => (stepped ? sendOnce<T>(method, path, body, headers) : answer));
    });
  }

  function sendOnce<T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>, retried = false): Promise<PortalAnswer<T>> {
    const requestHeaders: Record<string, string> = Object.assign({ Accept: 'application/json' }, headers);
    const init: RequestInit = { method, headers: requestHeaders, credentials: 'omit', cache: 'no-store' };
    if (tokens) requestHeaders.Authorization = `Bearer ${tokens.access}`;
    if (body !== undefined) {
      requestHeaders['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(base + path, init).then((response) =>
      response.text().then((text) => {
        let parsed = null;
        try {
          parsed = text ? JSON.parse(text) : null;
        } catch {
          parsed = null;
        }
        if (response.status === 401 && tokens && !retried) {
          return refresh().then((ok) => {
            if (ok) return sendOnce<T>(method, path, body, headers, true);
            onSessionEnded();
            throw new Error('signed out');
          });
        }
        return { ok: response.ok, status: response.status, body: parsed };
      }),
    );
  }

  return {
    send,
    signedIn: (access: string, refreshToken?: string) => {
      tokens = { access, refresh: refreshToken };
    },
    /** Forgets the tokens and gives back the refresh token, to revoke it. */
    forget: (): string | undefined => {
      const refreshToken = tokens?.refresh;
      tokens = null;
      return refreshToken;
    },
  };
}

/** Ends the refresh token's session on the server (best effort: the page has forgotten it anyway). */
export function revokeRefreshToken(base: string, refreshToken: string | undefined): void {
  if (!refreshToken) return;
  fetch(`${base}/oauth/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `token=${encodeURIComponent(refreshToken)}`,
    credentials: 'omit',
  }).catch(() => undefined);
}
