import { type JWTHeaderParameters, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { type Clock, epochSeconds } from '../clock';
import { FormRejectedError } from '../errors';
import type { HmacKeyRing } from '../hmac-key-ring';
import type { HmacKeySource } from '../ports';
import { sha256 } from '../random';
import type { Invitation, InvitationKind } from './ports';

/** Invitations are signed with their own HMAC key (never the access-token signing key, which the portal functions are not granted). */
const INVITATION_ALGORITHM = 'HS256';

/** A key's id in the token header: a digest of the key, which names it without revealing it. */
const keyId = (key: Uint8Array) => sha256(Buffer.from(key).toString('base64')).slice(0, 16);

/** The JOSE `typ` of invitation tokens: an access token (typ at+jwt) can never pass for one, nor the reverse (different `aud`). */
export const INVITATION_TYPE = 'loginbridge-invite+jwt';

export interface InvitationClaims {
  inviteId: string;
  kind: InvitationKind;
  teamId?: string;
}

export class InvalidInvitationError extends FormRejectedError {
  constructor(message = 'This invitation link is not valid. Ask for a new one.') {
    super('invalid_invitation', message, { token: message });
  }
}

/**
 * Invitation links: HS256 JWTs signed with the invitation key, an HMAC key
 * ring of their own (rotated on the signing key's schedule; the previous key
 * still verifies links issued before a rotation), so a forged or altered link
 * is refused before the table is read, and the functions that invite or join
 * never hold the private key set that signs access tokens. The token names the
 * invitation (`jti`), its kind and team, and expires with it; whether it is
 * still unused, and for which email it is, lives in the table, so a link
 * works once (a conditional write marks it used).
 */
export class InvitationTokens {
  constructor(
    private readonly keys: HmacKeySource,
    private readonly settings: { issuer: string },
    private readonly clock: Clock,
  ) {}

  private get audience(): string {
    return `${this.settings.issuer.replace(/\/+$/, '')}/portal/invitations`;
  }

  async sign(invitation: Invitation): Promise<string> {
    const key = (await this.keys.get()).current;
    return new SignJWT({ kind: invitation.kind, ...(invitation.teamId ? { team: invitation.teamId } : {}) })
      .setProtectedHeader({ alg: INVITATION_ALGORITHM, kid: keyId(key), typ: INVITATION_TYPE })
      .setIssuer(this.settings.issuer)
      .setAudience(this.audience)
      .setJti(invitation.inviteId)
      .setIssuedAt(Math.floor(invitation.createdAt))
      .setExpirationTime(invitation.expiresAt)
      .sign(key);
  }

  /** The invitation a token names; InvalidInvitationError when forged, altered, expired or not an invitation. */
  async verify(token: string): Promise<InvitationClaims> {
    try {
      const { payload, protectedHeader } = await jwtVerify(token, (header) => this.verificationKey(header), {
        algorithms: [INVITATION_ALGORITHM],
        issuer: this.settings.issuer,
        audience: this.audience,
        typ: INVITATION_TYPE,
        requiredClaims: ['jti', 'exp', 'kind'],
        currentDate: new Date(epochSeconds(this.clock) * 1000),
      });
      const kind = payload.kind;
      if (protectedHeader.typ !== INVITATION_TYPE || (kind !== 'team' && kind !== 'admin' && kind !== 'user-admin') || typeof payload.jti !== 'string')
        throw new InvalidInvitationError();
      if (kind === 'team' && typeof payload.team !== 'string') throw new InvalidInvitationError();
      return { inviteId: payload.jti, kind, ...(kind === 'team' ? { teamId: payload.team as string } : {}) };
    } catch (error) {
      if (error instanceof InvalidInvitationError) throw error;
      if (error instanceof joseErrors.JWTExpired) throw new InvalidInvitationError('This invitation has expired. Ask for a new one.');
      if (error instanceof joseErrors.JOSEError) throw new InvalidInvitationError();
      throw error;
    }
  }

  /** The key of the ring the header names (current or previous); the ring is read again once for a kid it does not know. */
  private async verificationKey(header: JWTHeaderParameters): Promise<Uint8Array> {
    const find = (ring: HmacKeyRing) => [ring.current, ring.previous].find((key) => key !== undefined && keyId(key) === header.kid);
    const key = typeof header.kid === 'string' ? (find(await this.keys.get()) ?? (this.keys.reload ? find(await this.keys.reload()) : undefined)) : undefined;
    if (!key) throw new InvalidInvitationError();
    return key;
  }
}
