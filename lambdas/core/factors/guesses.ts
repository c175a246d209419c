import { clientNetwork } from '../client-network';
import { type Clock, epochSeconds } from '../clock';
import { TooManyAttemptsError } from '../errors';
import type { ThrottleStore } from '../ports';

/** OTP_GUESSES_*: second-factor guesses (a code or a passkey assertion) per account and per client address in one window. */
export interface GuessAllowance {
  perAccount: number;
  perAddress: number;
  windowSeconds: number;
}

export const factorThrottleKeys = {
  account: (userId: string, windowIndex: number) => `otp#acct#${userId}#${windowIndex}`,
  address: (ip: string, windowIndex: number) => `otp#ip#${clientNetwork(ip)}#${windowIndex}`,
};

/** A taken guess: a proven factor gives its units back. */
export interface TakenGuess {
  giveBack(): Promise<void>;
}

/**
 * The one counter of second-factor verifications (TOTP, recovery codes,
 * passkeys): one unit of the account's and of the address's allowance, taken
 * in one conditional request before anything is checked, so of a parallel
 * burst at most the allowance is ever evaluated.
 */
export async function takeFactorGuess(
  deps: { throttles: ThrottleStore; clock: Clock; allowance: GuessAllowance },
  userId: string,
  clientIp: string,
  field: string,
): Promise<TakenGuess> {
  const { throttles, clock, allowance } = deps;
  const now = epochSeconds(clock);
  const windowIndex = Math.floor(now / allowance.windowSeconds);
  const expiresAt = (windowIndex + 1) * allowance.windowSeconds;
  const keys = [factorThrottleKeys.account(userId, windowIndex), factorThrottleKeys.address(clientIp, windowIndex)];
  const limits = [allowance.perAccount, allowance.perAddress];
  const takes = keys.map((key, index) => ({ key, rule: { limit: limits[index], now, expiresAt } }));
  const outcome = await throttles.takeAll(takes);
  let taken = outcome.decided && outcome.taken;
  if (!outcome.decided) {
    // Nothing was counted: take them one by one, each still one conditional write before anything is checked.
    const first = await throttles.take(takes[0].key, takes[0].rule);
    const second = first.taken ? await throttles.take(takes[1].key, takes[1].rule) : undefined;
    if (first.taken && !second?.taken) await throttles.giveBack(takes[0].key);
    taken = first.taken && !!second?.taken;
  }
  if (!taken) throw new TooManyAttemptsError(Math.max(1, expiresAt - now), { [field]: true });
  return { giveBack: async () => void (await Promise.all(keys.map((key) => throttles.giveBack(key)))) };
}
