import type { SingleUseToken } from './ports';

/** What a password-reset or verification link is worth right now. */
export type SingleUseTokenState = 'valid' | 'used' | 'expired' | 'invalid';

/** One reading of a stored link for both purposes: the pages show it, and the confirm refuses anything but `valid`. */
export function singleUseTokenState(token: SingleUseToken | undefined, now: number): SingleUseTokenState {
  if (!token) return 'invalid';
  if (token.usedAt !== undefined) return 'used';
  if (now >= token.expiresAt) return 'expired';
  return 'valid';
}
