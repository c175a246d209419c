import { errors as joseErrors, jwtVerify, SignJWT, type CryptoKey, type JWTHeaderParameters } from 'jose';
import { epochSeconds, type Clock } from '../clock';
import { FormRejectedError } from '../errors';
import { SIGNING_ALGORITHM } from '../key-set';
import type { KeySetSource, PublicKeySetSource } from '../ports';
import { SigningKeyRing } from '../signing-key-ring';
import type { Invitation, InvitationKind } from './ports';

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
 * Invitation links: ES256 JWTs signed with the service's signing key set
 * (the key that signs access tokens, under a distinct `typ` and `aud`), so a
 * forged or altered link is refused before the table is read. The token names
 * the invitation (`jti`), its kind and team, and expires with it; whether it
 * is still unused, and for which email it is, lives in the table, so a link
 * works once (a conditional write marks it used).
 */
export class InvitationTokens {
  private readonly ring: SigningKeyRing;

  constructor(
    keys: KeySetSource,
    private readonly settings: { issuer: string },
    private readonly clock: Clock,
    /** Where verification reads the public keys; without it, the public halves of `keys`. */
    publicKeys?: PublicKeySetSource,
  ) {
    this.ring = new SigningKeyRing(keys, clock, publicKeys);
  }

  private get audience(): string {
    return `${this.settings.issuer.replace(/\/+$/, '')}/portal/invitations`;
  }

  async sign(invitation: Invitation): Promise<string> {
    const { kid, key } = await this.ring.signingKey();
    return new SignJWT({ kind: invitation.kind, ...(invitation.teamId ? { team: invitation.teamId } : {}) })
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid, typ: INVITATION_TYPE })
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
        algorithms: [SIGNING_ALGORITHM],
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

  private async verificationKey(header: JWTHeaderParameters): Promise<CryptoKey | Uint8Array> {
    const key = typeof header.kid === 'string' ? await this.ring.verificationKey(header.kid) : undefined;
    if (!key) throw new InvalidInvitationError();
    return key;
  }
}
