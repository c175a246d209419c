import type { FederatedIdentity, FederatedIdentityStore } from './ports';

/** Seals a secret at rest bound to its item (core/factors/secret-box.ts under the factor key). */
export interface Sealer {
  seal(plain: string, binding: string): Promise<string>;
  open(sealed: string, binding: string): Promise<string>;
}

/** Apple's revoke endpoint for one client's refresh token (the adapter signs the client secret and keeps to the time budget). */
export interface AppleTokenRevoker {
  revokeRefreshToken(clientId: string, refreshToken: string): Promise<void>;
}

export interface ProviderTokenRevocationDeps {
  identities: Pick<FederatedIdentityStore, 'listForUser' | 'saveProviderRefreshToken'>;
  box: Sealer;
  apple: AppleTokenRevoker;
  /** A revoke that failed: logged and counted by the caller's wiring (PartnerCallFailed, partner apple); never thrown. */
  onFailure(reason: string): void;
}

const binding = (identity: Pick<FederatedIdentity, 'provider' | 'sub' | 'userId'>) =>
  `provider-refresh#${identity.provider}#${identity.sub}#${identity.userId}`;
/** Before the sign-in the account is not known yet: the web hand-off's token is bound to the provider's user and client. */
const pendingBinding = (provider: string, sub: string, clientId: string) => `provider-refresh-pending#${provider}#${sub}#${clientId}`;

/** A refresh token on its way from the web callback to the signed-in identity: sealed, never at rest in the clear. */
export interface PendingRefreshToken {
  sealedRefreshToken: string;
  clientId: string;
}

/**
 * The provider refresh tokens we keep only to give them back: Apple requires
 * an app that deletes an account to revoke the user's tokens ("Revoke tokens").
 * Sealed on the identity when the web flow receives one; on account deletion
 * they are read BEFORE the deletion and revoked AFTER it committed.
 */
export class ProviderTokenRevocation {
  constructor(private readonly deps: ProviderTokenRevocationDeps) {}

  /** Keeps the refresh token of a token response (sealed; bound to the identity and account). */
  async saveProviderRefreshToken(identity: FederatedIdentity, clientId: string, refreshToken: string): Promise<void> {
    const sealed = await this.deps.box.seal(refreshToken, binding(identity));
    await this.deps.identities.saveProviderRefreshToken(identity, clientId, sealed);
  }

  /** Seals a web callback's refresh token for its hand-off item (the account is known only after the sign-in). */
  async sealPending(provider: string, sub: string, clientId: string, refreshToken: string): Promise<PendingRefreshToken> {
    return { sealedRefreshToken: await this.deps.box.seal(refreshToken, pendingBinding(provider, sub, clientId)), clientId };
  }

  /** The hand-off's sealed token kept on the identity it signed in (resealed under the identity's own binding). */
  async savePending(identity: FederatedIdentity, pending: PendingRefreshToken): Promise<void> {
    const token = await this.deps.box.open(pending.sealedRefreshToken, pendingBinding(identity.provider, identity.sub, pending.clientId));
    await this.saveProviderRefreshToken(identity, pending.clientId, token);
  }

  /** Reads what there is to revoke for the account; the returned step revokes it and never throws. */
  async collect(userId: string): Promise<() => Promise<void>> {
    const identities = (await this.deps.identities.listForUser(userId)).filter(
      (identity) => identity.provider === 'apple' && identity.sealedRefreshToken && identity.refreshTokenClientId,
    );
    return async () => {
      for (const identity of identities) {
        try {
          const token = await this.deps.box.open(identity.sealedRefreshToken as string, binding(identity));
          await this.deps.apple.revokeRefreshToken(identity.refreshTokenClientId as string, token);
        } catch (error) {
          this.deps.onFailure(error instanceof Error ? error.name : 'unknown');
        }
      }
    };
  }
}
