/**
 * The "Send a new link" box beside an `email_not_verified` refusal, on the
 * pages where a person signs in with email and password (login, /activate).
 * The markup is `verifyResendBox()` in ../markup.ts; the address is the one
 * typed in the form, and the resend endpoint answers the same for any address.
 */
import { $, type ApiBody, buttonById, postJson, sharedText } from './form';

export interface VerifyResendOptions {
  /** The API base next to the page (`apiBase(...)`). */
  base: string;
  /** The address to send the link to: the sign-in form's email. */
  email: () => string;
  /** What to say once the link went out: each page says what to do after the click. */
  sent: (email: string) => string;
}

export function verifyResend(options: VerifyResendOptions): { offerFor(body: ApiBody | null): void } {
  const box = $('verify-box');
  const button = buttonById('resend');
  const status = $('resend-status');

  button.addEventListener('click', () => {
    const email = options.email();
    button.disabled = true;
    postJson(`${options.base}/verify-email/resend`, { email })
      .then((result) => {
        status.textContent = result.ok
          ? options.sent(email)
          : sharedText('form.script.resendFailed', 'Could not send a new link (HTTP {status}). Please try again later.', { status: String(result.status) });
      })
      .catch(() => {
        status.textContent = sharedText('form.script.unreachable', 'The service could not be reached. Check your connection and try again.');
      })
      .then(() => {
        button.disabled = false;
        status.hidden = false;
      });
  });

  return {
    /** Shows the box for a "confirm your email first" answer, hides it for anything else (or null). */
    offerFor(body) {
      box.hidden = !(body && body.error === 'email_not_verified');
      status.hidden = true;
    },
  };
}
