import * as z from 'zod';
import type { Clock } from '../../core/clock';
import { PartnerProtocolError, PartnerRejectedError } from '../../core/errors';
import { trimBase } from '../../core/sso/links';
import type { AstratoPartner, AstratoTicketRequest, CallContext } from '../../core/sso/ports';
import { TokenCache } from '../../core/sso/token-cache';
import { credentialsKey, type PartnerCredentialSource, type PartnerCredentials } from './credentials';
import { Deadline, PartnerHttp, type PartnerHttpOptions, readJson } from './http';
import { CredentialsRejected, withCredentials } from './rejection';

/** Astrato's default base URL when the secret names none. */
export const ASTRATO_DEFAULT_BASE_URL = 'https://app.astrato.io';

/** Astrato documents a 10-minute M2M token; this is assumed when the answer has no `expires_in`. */
const M2M_TOKEN_SECONDS = 600;

const tokenAnswer = z.object({ access_token: z.string().min(1).max(8192), expires_in: z.number().positive().optional() });
const ticketAnswer = z.object({ ticket: z.string().min(1).max(2048) });

export interface AstratoClientOptions extends PartnerHttpOptions {
  /** The whole hand-off (token, setup, retries) ends within this many milliseconds. */
  budgetMs: number;
}

/**
 * Astrato's OEM API. The M2M token is cached per Lambda instance until a
 * minute before its 10-minute life ends; tickets are never cached. A 401 from
 * /oem/setup drops the cached token and retries once with a new one.
 */
export class AstratoClient implements AstratoPartner {
  private readonly tokens: TokenCache;
  private readonly http: PartnerHttp;

  constructor(
    private readonly credentials: PartnerCredentialSource,
    private readonly options: AstratoClientOptions,
    clock: Clock,
  ) {
    this.tokens = new TokenCache(clock, { refreshMarginSeconds: 60, maxLifeShare: 0.9 });
    this.http = new PartnerHttp('Astrato', options);
  }

  async createTicket(request: AstratoTicketRequest, context: CallContext): Promise<{ ticket: string; baseUrl: string }> {
    const deadline = new Deadline(this.options.budgetMs);
    return withCredentials(
      this.credentials,
      async (credentials) => {
        const first = await this.token(credentials, context, deadline);
        let response = await this.setup(credentials, first, request, context, deadline);
        if (response.status === 401) {
          this.tokens.invalidate(first);
          const second = await this.token(credentials, context, deadline);
          response = await this.setup(credentials, second, request, context, deadline);
          if (response.status === 401) {
            this.tokens.invalidate(second);
            throw new CredentialsRejected(401);
          }
        }
        if (response.status >= 200 && response.status < 300) {
          return { ticket: readJson('Astrato', response, ticketAnswer, 'the answer of /oem/setup').ticket, baseUrl: credentials.baseUrl };
        }
        if (response.status === 400 || response.status === 403 || response.status === 404 || response.status === 422) {
          throw new PartnerRejectedError(
            'Astrato',
            `Astrato refused to create a sign-in ticket for this account (HTTP ${response.status}). An administrator should check the group ids (ASTRATO_DEFAULT_GROUP_IDS or the user's astratoGroupIds attribute) and that the OEM Management API key may manage users.`,
            'ASTRATO_DEFAULT_GROUP_IDS',
          );
        }
        throw new PartnerProtocolError('Astrato', `HTTP ${response.status} from /oem/setup`);
      },
      ' (the key and secret from Astrato Administration -> System Settings -> OEM Management API, not the Google OAuth credentials of Enterprise Authentication)',
    );
  }

  private token(credentials: PartnerCredentials, context: CallContext, deadline: Deadline): Promise<string> {
    return this.tokens.get(credentialsKey(credentials), async () => {
      const response = await this.http.send(
        {
          method: 'POST',
          url: `${trimBase(credentials.baseUrl)}/auth/proxy/m2m/token`,
          label: '/auth/proxy/m2m/token',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ clientId: credentials.clientId, clientSecret: credentials.clientSecret }),
        },
        context.correlationId,
        deadline,
      );
      if (response.status === 400 || response.status === 401 || response.status === 403) throw new CredentialsRejected(response.status);
      if (response.status < 200 || response.status >= 300) throw new PartnerProtocolError('Astrato', `HTTP ${response.status} from the token endpoint`);
      const answer = readJson('Astrato', response, tokenAnswer, 'the answer of the token endpoint');
      return { value: answer.access_token, expiresInSeconds: answer.expires_in ?? M2M_TOKEN_SECONDS };
    });
  }

  private setup(credentials: PartnerCredentials, token: string, request: AstratoTicketRequest, context: CallContext, deadline: Deadline) {
    return this.http.send(
      {
        method: 'POST',
        url: `${trimBase(credentials.baseUrl)}/oem/setup`,
        label: '/oem/setup',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      },
      context.correlationId,
      deadline,
    );
  }
}
