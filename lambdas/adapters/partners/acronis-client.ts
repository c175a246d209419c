import * as z from 'zod';
import { type Clock, epochSeconds } from '../../core/clock';
import { PartnerProtocolError, PartnerRejectedError } from '../../core/errors';
import { acronisDataCenter } from '../../core/sso/links';
import type { AcronisIdentity, AcronisPartner, CallContext } from '../../core/sso/ports';
import { TokenCache } from '../../core/sso/token-cache';
import { tokenLifetime } from '../../core/sso/token-lifetime';
import { credentialsKey, type PartnerCredentialSource, type PartnerCredentials } from './credentials';
import { Deadline, PartnerHttp, type PartnerHttpOptions, readJson } from './http';
import { CredentialsRejected, withCredentials } from './rejection';

/** Seconds, as a JSON number or a numeric string; anything else counts as absent (the lifetime falls back, the hand-off still works). */
const seconds = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^\d{1,12}$/)
      .transform(Number),
  ])
  .optional()
  .catch(undefined);
/** The documented answer is `{id_token, access_token}`; `expires_in` and `expires_on` appear in other examples. */
const tokenAnswer = z.object({ access_token: z.string().min(1).max(16384), expires_in: seconds, expires_on: seconds });
const ottAnswer = z.object({ ott: z.string().min(1).max(4096) });
/** RFC 6749 §5.2 codes that mean "these client credentials are no good". */
const REJECTING_TOKEN_ERRORS = new Set(['invalid_client', 'unauthorized_client', 'invalid_grant', 'access_denied']);

export interface AcronisClientOptions extends PartnerHttpOptions {
  budgetMs: number;
}

/**
 * Acronis Cyber Protect Cloud, account management API v2. The
 * client-credentials token is cached until shortly before it expires (about
 * 2 h; see core/sso/token-lifetime.ts for how that is read); one-time tokens are never cached. A 401 from /idp/ott drops the
 * cached token and retries once.
 */
export class AcronisClient implements AcronisPartner {
  private readonly tokens: TokenCache;
  private readonly http: PartnerHttp;

  constructor(
    private readonly credentials: PartnerCredentialSource,
    private readonly options: AcronisClientOptions,
    private readonly clock: Clock,
  ) {
    this.tokens = new TokenCache(clock, { refreshMarginSeconds: 300, maxLifeShare: 0.9 });
    this.http = new PartnerHttp('Acronis', options);
  }

  async dataCenter(): Promise<string> {
    return acronisDataCenter((await this.credentials.get()).baseUrl);
  }

  async createOtt(identity: AcronisIdentity, context: CallContext): Promise<string> {
    const deadline = new Deadline(this.options.budgetMs);
    return withCredentials(this.credentials, async (credentials) => {
      const first = await this.token(credentials, context, deadline);
      let response = await this.ott(credentials, first, identity, context, deadline);
      if (response.status === 401) {
        this.tokens.invalidate(first);
        const second = await this.token(credentials, context, deadline);
        response = await this.ott(credentials, second, identity, context, deadline);
        if (response.status === 401) {
          this.tokens.invalidate(second);
          throw new CredentialsRejected(401);
        }
      }
      if (response.status >= 200 && response.status < 300) return readJson('Acronis', response, ottAnswer, 'the answer of /idp/ott').ott;
      if (response.status === 403) {
        throw new PartnerRejectedError(
          'Acronis',
          "Acronis refused a sign-in link for this account (HTTP 403). The API client in ACRONIS_SECRET_ARN must belong to the user's tenant or a parent tenant.",
          'ACRONIS_SECRET_ARN',
        );
      }
      if (response.status === 400 || response.status === 404) {
        throw new PartnerRejectedError(
          'Acronis',
          `Acronis does not recognise this account (HTTP ${response.status}). An administrator should check that the user exists in Acronis and ACRONIS_IDENTIFY_BY / ACRONIS_LOGIN_FIELD.`,
          'ACRONIS_LOGIN_FIELD',
        );
      }
      throw new PartnerProtocolError('Acronis', `HTTP ${response.status} from /idp/ott`);
    });
  }

  private token(credentials: PartnerCredentials, context: CallContext, deadline: Deadline): Promise<string> {
    return this.tokens.get(credentialsKey(credentials), async () => {
      const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`, 'utf8').toString('base64');
      const response = await this.http.send(
        {
          method: 'POST',
          url: `${acronisDataCenter(credentials.baseUrl)}/api/2/idp/token`,
          label: '/api/2/idp/token',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json', Authorization: `Basic ${basic}` },
          body: new URLSearchParams({ grant_type: 'client_credentials' }).toString(),
        },
        context.correlationId,
        deadline,
      );
      if (response.status === 401 || response.status === 403) throw new CredentialsRejected(response.status);
      if (response.status === 400) {
        const code = safeErrorCode(response.text);
        if (code === undefined || REJECTING_TOKEN_ERRORS.has(code)) throw new CredentialsRejected(400);
        throw new PartnerProtocolError('Acronis', `the token endpoint answered ${code}`);
      }
      if (response.status < 200 || response.status >= 300) throw new PartnerProtocolError('Acronis', `HTTP ${response.status} from the token endpoint`);
      const answer = readJson('Acronis', response, tokenAnswer, 'the answer of the token endpoint');
      const lifetime = tokenLifetime(
        { accessToken: answer.access_token, expiresIn: answer.expires_in, expiresOn: answer.expires_on },
        epochSeconds(this.clock),
      );
      return { value: answer.access_token, expiresInSeconds: lifetime.seconds };
    });
  }

  private ott(credentials: PartnerCredentials, token: string, identity: AcronisIdentity, context: CallContext, deadline: Deadline) {
    return this.http.send(
      {
        method: 'POST',
        url: `${acronisDataCenter(credentials.baseUrl)}/api/2/idp/ott`,
        label: '/api/2/idp/ott',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify({ purpose: 'user_login', ...identity }),
      },
      context.correlationId,
      deadline,
    );
  }
}

/** The `error` code of an RFC 6749 error body, only if it looks like one (it goes into a message). */
function safeErrorCode(text: string): string | undefined {
  try {
    const code = (JSON.parse(text) as { error?: unknown }).error;
    return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}
