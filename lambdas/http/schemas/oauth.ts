import * as z from 'zod';
import { OAuthError } from '../../core/errors';
import { normalizeUserCode } from '../../core/oauth/user-code';
import type { HttpRequest } from '../request';

/**
 * OAuth endpoint parameters. Real device clients send them in the query
 * string with an empty body (Applicaster's TV plugin), or form-encoded in the
 * body (RFC 6749 §3.2, every stock library): both are read, and a parameter
 * sent in both places must agree.
 */
export function oauthParams(request: HttpRequest): Record<string, unknown> {
  const { body } = request;
  if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
    throw new OAuthError('invalid_request', 'Send the parameters form-encoded (application/x-www-form-urlencoded) or in the query string.');
  }
  const merged: Record<string, unknown> = {};
  for (const [name, value] of [...Object.entries(request.query), ...Object.entries((body ?? {}) as Record<string, unknown>)]) {
    // RFC 6749 §3.1: a parameter without a value is as if it were absent.
    if (value === '' || value === null || value === undefined) continue;
    if (name in merged && merged[name] !== value) throw new OAuthError('invalid_request', `${name} was sent twice with different values.`);
    merged[name] = value;
  }
  return merged;
}

/** Parses with zod; the first problem becomes an `invalid_request` naming the parameter. */
export function parseOAuthParams<S extends z.ZodType>(schema: S, request: HttpRequest): z.infer<S> {
  const result = schema.safeParse(oauthParams(request));
  if (result.success) return result.data;
  throw new OAuthError('invalid_request', result.error.issues[0]?.message ?? 'The request parameters are not valid.');
}

const param = (name: string, max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? `${name} is required.` : `${name} must be a single text value.`) })
    .max(max, `${name} is too long.`);

const clientId = param('client_id', 128);

export const deviceAuthorizationParams = z.object({
  client_id: clientId.optional(),
  scope: param('scope', 512).optional(),
});

export const tokenParams = z.object({
  grant_type: param('grant_type', 128),
  client_id: clientId.optional(),
  device_code: param('device_code', 128).optional(),
  refresh_token: param('refresh_token', 512).optional(),
  // RFC 8693 token exchange (docs/native-sign-in.md).
  subject_token: param('subject_token', 8192).optional(),
  subject_token_type: param('subject_token_type', 128).optional(),
  subject_issuer: param('subject_issuer', 64).optional(),
  nonce: param('nonce', 256).optional(),
});

/** RFC 7009 `token`; Applicaster's TV plugin logs out with `access_token` instead, accepted as an alias. */
export const revocationParams = z
  .object({
    token: param('token', 4096).optional(),
    access_token: param('access_token', 4096).optional(),
    token_type_hint: param('token_type_hint', 64).optional(),
    client_id: clientId.optional(),
  })
  .transform((value, context) => {
    const token = value.token ?? value.access_token;
    if (!token) {
      context.addIssue({ code: 'custom', message: 'token is required.' });
      return z.NEVER;
    }
    // A token sent as `access_token` is one, whatever else it might look like.
    const hint = value.token_type_hint ?? (value.token ? undefined : 'access_token');
    return { token, ...(hint ? { token_type_hint: hint } : {}), ...(value.client_id ? { client_id: value.client_id } : {}) };
  });

/** What a person typed as the TV's code: case, dashes and spaces do not matter. */
export const userCode = z
  .string({ error: 'Enter the code shown on your TV.' })
  .max(32, 'Codes have 8 letters, like BCDF-GHJK.')
  .transform((value, context) => {
    if (!value.trim()) {
      context.addIssue({ code: 'custom', message: 'Enter the code shown on your TV.' });
      return z.NEVER;
    }
    const code = normalizeUserCode(value);
    if (!code) {
      context.addIssue({ code: 'custom', message: 'Codes have 8 letters, like BCDF-GHJK. Check the code shown on your TV.' });
      return z.NEVER;
    }
    return code;
  });

export const activationLookupBody = z.object({ user_code: userCode });

export const activationDecisionBody = z.object({
  user_code: userCode,
  decision: z.enum(['approve', 'deny'], { error: 'decision must be "approve" or "deny".' }),
});
