/**
 * The second-factor prompts every page shares (docs/security.md):
 * - the one-time-code field of a sign-in form (markup `oneTimeCodeField`): hidden
 *   until the API answers 403 `mfa_required`, then the form sends the same request
 *   again with `otp` (a TOTP code or a recovery code);
 * - the step-up dialog (markup `stepUpDialog`): an action answered 403
 *   `step_up_required` asks for a code, sends it to POST /login-flow/factors/step-up
 *   and runs the action once more;
 * - after "Continue with Apple / Google" (web-sign-in.ts) the same field: the
 *   form then sends the code with the kept hand-off instead of the password.
 */
import {
  $,
  type Answer,
  type ApiBody,
  buttonById,
  clearErrors,
  type ErrorSlots,
  type Field,
  field,
  formErrorOf,
  inputById,
  setBusy,
  sharedText,
  showErrors,
} from './form';
import { passkeySecondFactor, passkeysSupported } from './passkeys';
import { sendWebSignInCode, webSignInAwaitsCode } from './web-sign-in';

/** A passkey's answer held for the next submit of the form (it replaces the code). */
type PasskeyAnswer = { challengeId: string; response: unknown };

export const isMfaRequired = (body: ApiBody | null | undefined): boolean => !!body && body.error === 'mfa_required';
export const isStepUpRequired = (body: ApiBody | null | undefined): boolean => !!body && body.error === 'step_up_required';

export interface CodeField {
  /** The slot for `fieldErrors.otp`, to list with the form's other fields. */
  slot: Field;
  /** The code to send, once the field is shown and filled. */
  value(): string | undefined;
  /** The passkey answer chosen with "Use a passkey instead", once (it is single use). */
  passkey(): PasskeyAnswer | undefined;
  /** Shows the field (the account asked for a code) and focuses it. */
  reveal(): void;
  /** Empties and hides the field (signed in, or signed out). */
  reset(): void;
}

const DIGITS = {
  label: sharedText('form.otpLabel', 'Code from your authenticator app'),
  hint: sharedText('form.otpHint', 'The 6-digit code your app shows now.'),
  mode: sharedText('form.otpRecovery', 'Use a recovery code instead'),
};
const RECOVERY = {
  label: sharedText('factor.script.recoveryLabel', 'Recovery code'),
  hint: sharedText('factor.script.recoveryHint', 'One of the codes you stored when you added the app, like abcd-efgh-jkmn.'),
  mode: sharedText('factor.script.useApp', 'Use the code from your app'),
};

/** The controller of one code field (`<id>-box`, `<id>`, `<id>-label`, `<id>-hint`, `<id>-error`, `<id>-mode`). */
export function oneTimeCodeField(id = 'otp'): CodeField {
  const box = $(`${id}-box`);
  const input = inputById(id);
  let recovery = false;
  const setMode = (useRecovery: boolean) => {
    recovery = useRecovery;
    const text = useRecovery ? RECOVERY : DIGITS;
    // A recovery code has letters: the phone shows a full keyboard for it, a number pad for the app's code.
    input.inputMode = useRecovery ? 'text' : 'numeric';
    $(`${id}-label`).textContent = text.label;
    $(`${id}-hint`).textContent = text.hint;
    $(`${id}-mode`).textContent = text.mode;
  };
  $(`${id}-mode`).addEventListener('click', () => {
    setMode(!recovery);
    input.value = '';
    input.focus();
  });
  // "Use a passkey instead": the browser's prompt answers a fresh challenge, and the form is sent again with it.
  let held: PasskeyAnswer | undefined;
  const passkeyButton = document.getElementById(`${id}-passkey`) as HTMLButtonElement | null;
  if (passkeyButton && passkeysSupported()) {
    passkeyButton.hidden = false;
    passkeyButton.addEventListener('click', () => {
      passkeySecondFactor().then((answer) => {
        if ('ok' in answer) {
          $(`${id}-error`).textContent = formErrorOf(answer.body) ?? sharedText('factor.script.passkeyFailed', 'The passkey could not be used.');
          return;
        }
        held = answer;
        input.form?.requestSubmit();
      });
    });
  }
  return {
    slot: field('otp', id),
    value: () => (box.hidden || held ? undefined : input.value.trim() || undefined),
    passkey: () => {
      const answer = held;
      held = undefined;
      return answer;
    },
    reveal: () => {
      box.hidden = false;
      input.focus();
    },
    reset: () => {
      held = undefined;
      input.value = '';
      box.hidden = true;
      setMode(false);
    },
  };
}

/** The sign-in payload with the code beside the password when the field holds one. */
export function withCode<T extends object>(payload: T, code: CodeField): T & { otp?: string; passkey?: PasskeyAnswer } {
  const passkey = code.passkey();
  if (passkey) return Object.assign({}, payload, { passkey });
  const otp = code.value();
  return otp ? Object.assign({}, payload, { otp }) : payload;
}

/** After a refused sign-in: shows the code field when the account asked for one (the caller then shows the errors as usual). */
export function offerCodeFor(body: ApiBody | null, code: CodeField): void {
  if (isMfaRequired(body)) code.reveal();
}

/** The refusal of a form sent without a code. */
const enterCode = (): ApiBody => ({
  formError: sharedText('factor.script.enterCode', 'Enter a code.'),
  fieldErrors: { otp: sharedText('factor.script.enterCodeField', 'Enter the code from your authenticator app, or a recovery code.') },
});

/**
 * The submit of a sign-in form while a federated sign-in waits for its second
 * factor: the code (or passkey answer) goes with the kept hand-off, and the
 * answer reaches the page's web sign-in callbacks. False when none waits (the
 * form sends its password as usual).
 */
export function submitWebSignInCode(code: CodeField, slots: ErrorSlots): boolean {
  if (!webSignInAwaitsCode()) return false;
  const passkey = code.passkey();
  const otp = code.value();
  if (!otp && !passkey) showErrors(slots, enterCode(), 0);
  else sendWebSignInCode(passkey ? { passkey } : { otp });
  return true;
}

/**
 * The step-up dialog: resolves true once a code was accepted by
 * POST /login-flow/factors/step-up (sent with the page's signed-in `send`),
 * false when the person cancels. One dialog per page; its listeners are set once.
 */
export function stepUpPrompt(send: (method: string, path: string, body?: unknown) => Promise<Answer<ApiBody>>): () => Promise<boolean> {
  const dialog = $<HTMLDialogElement>('step-up');
  const code = oneTimeCodeField('step-up-otp');
  const slots = { formError: 'step-up-error', fields: [code.slot] };
  const submit = buttonById('step-up-submit');
  let settle: ((stepped: boolean) => void) | null = null;
  const finish = (stepped: boolean) => {
    const done = settle;
    settle = null;
    if (dialog.open) dialog.close();
    done?.(stepped);
  };
  $('step-up-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearErrors(slots);
    const passkey = code.passkey();
    const otp = code.value();
    if (!otp && !passkey) {
      showErrors(slots, enterCode(), 0);
      return;
    }
    setBusy([submit], true);
    send('POST', '/login-flow/factors/step-up', passkey ? { passkey } : { otp })
      .then((result) => {
        setBusy([submit], false);
        if (result.ok) return finish(true);
        showErrors(slots, result.body, result.status);
      })
      .catch(() => {
        setBusy([submit], false);
        $('step-up-error').textContent = sharedText('factor.script.unreachable', 'The service could not be reached. Check your connection and try again.');
      });
  });
  $('step-up-cancel').addEventListener('click', () => finish(false));
  dialog.addEventListener('close', () => finish(false));
  return () =>
    new Promise<boolean>((resolve) => {
      settle = resolve;
      clearErrors(slots);
      code.reset();
      dialog.showModal();
      code.reveal();
    });
}
