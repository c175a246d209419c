/**
 * The portal's API client for this page: requests carry the session's tokens. Console actions and production
 * credentials may answer 403 step_up_required: the dialog asks for a code, then the request goes once more.
 */
import { text } from '../page-texts';
import { portalApi } from '../portal-api';
import { stepUpPrompt } from '../second-factor';

export const base = window.location.pathname.replace(/\/portal\/?$/, '');
let stepUp: () => Promise<boolean> = () => Promise.resolve(false);
// Set by the entry point once the sign-in module exists: it clears the page and answers the refresh token to revoke.
let endSession: (text: string) => string | undefined = () => undefined;
export const api = portalApi(base, () => endSession(text('account.script.sessionEnded')), { stepUp: () => stepUp() });
export const send = api.send;
stepUp = stepUpPrompt(send);

export const askStepUp = (): Promise<boolean> => stepUp();

export function whenSessionEnds(handler: (text: string) => string | undefined): void {
  endSession = handler;
}
