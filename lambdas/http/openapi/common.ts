import { z } from 'zod';

/**
 * Response schemas shared by the API description. The request schemas are the
 * very ones the handlers validate with; these describe what comes back, and
 * the integration tests check every answer they receive against them.
 */
export const errorBody = z
  .object({
    status: z.number().int(),
    error: z.string(),
    formError: z.string(),
    fieldErrors: z.record(z.string(), z.union([z.string(), z.literal(true)])),
    correlationId: z.string(),
  })
  .meta({ id: 'Error', description: 'The error shape of every non-OAuth endpoint.' });

export const oauthErrorBody = z
  .object({ error: z.string(), error_description: z.string(), correlationId: z.string().optional() })
  .meta({ id: 'OAuthError', description: 'RFC 6749 §5.2 error.' });

export const tokenResponseBody = z
  .object({
    status: z.literal(200),
    access_token: z.string(),
    refresh_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().positive(),
  })
  .meta({ id: 'TokenResponse', description: 'Tokens; `status` mirrors the HTTP status as the Login Flow docs ask.' });

export const messageBody = z.object({ status: z.number().int(), message: z.string() }).meta({ id: 'Message' });

export const jwksBody = z
  .object({
    keys: z.array(
      z
        .object({
          kty: z.literal('EC'),
          crv: z.literal('P-256'),
          x: z.string(),
          y: z.string(),
          kid: z.string(),
          alg: z.literal('ES256'),
          use: z.literal('sig'),
        })
        .strict(),
    ),
  })
  .meta({ id: 'JWKS', description: 'RFC 7517 key set: next, current and previous public keys.' });

/** What one route's operation looks like in the document. */
export interface OperationDescription {
  summary?: string;
  description?: string;
  tags: string[];
  /** The zod schema the handler validates its body with. */
  body?: z.ZodType;
  bodyContentTypes?: string[];
  /** False when the parameters may come in the query string instead (the OAuth endpoints); default true. */
  bodyRequired?: boolean;
  query?: z.ZodObject;
  params?: z.ZodObject;
  /** Request headers the handler reads besides Authorization (e.g. Idempotency-Key). */
  headers?: z.ZodObject;
  security?: 'bearer';
  /** Per status: `headers` maps a response header's name to what it carries. */
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string; headers?: Record<string, string> }>;
}

const json = 'application/json';
export const JSON_CONTENT = json;

/** The errors any API endpoint may answer besides its own. */
export function standardErrors(style: 'login-flow' | 'api' | 'oauth'): OperationDescription['responses'] {
  const schema = style === 'oauth' ? oauthErrorBody : errorBody;
  return {
    413: { description: 'Body larger than 16 KiB.', schema },
    500: { description: 'Unexpected failure; a generic message and the correlation id.', schema },
    503: {
      description: 'A dependency is unavailable; retry after `Retry-After`.',
      schema,
      headers: { 'Retry-After': 'Seconds to wait before retrying, when known.' },
    },
  };
}
