import type { AccessTokens } from './access-tokens';

/** The body Applicaster's Login Flow and OAuth clients both accept: `status` mirrors the HTTP status as the Login Flow docs ask. */
export interface TokenResponse {
  status: 200;
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export async function tokenResponse(
  tokens: AccessTokens,
  session: { userId: string; familyId: string; clientId?: string; amr?: string[]; authTime?: number },
  refreshToken: string,
  emailVerified?: boolean,
): Promise<TokenResponse> {
  const access = await tokens.issue(session.userId, session.familyId, {
    ...(session.clientId ? { clientId: session.clientId } : {}),
    ...(emailVerified !== undefined ? { emailVerified } : {}),
    ...(session.amr ? { amr: session.amr } : {}),
    ...(session.authTime !== undefined ? { authTime: session.authTime } : {}),
  });
  return { status: 200, access_token: access.token, refresh_token: refreshToken, token_type: 'Bearer', expires_in: access.expiresIn };
}
