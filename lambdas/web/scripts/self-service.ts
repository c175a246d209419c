/**
 * The account page's self-service sections (markup lambdas/web/self-service-sections.ts):
 * Profile (PATCH /login-flow/me), Password (POST /login-flow/change-password),
 * Email (POST /login-flow/change-email), My data (GET /login-flow/my-data) and
 * Delete my account (POST /login-flow/delete-account after typing the address).
 * A 403 step_up_required is answered by the page's step-up dialog (portal-api).
 */
import { $, type ApiBody, buttonById, clearErrors, type ErrorSlots, type Field, field, inputById, setBusy, showErrors } from './form';
import { countText, failureText, localized, text } from './page-texts';
import type { PortalAnswer } from './portal-api';

type Send = <T = ApiBody>(method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<PortalAnswer<T>>;

export interface ExtraFieldSpec {
  name: string;
  type: 'string' | 'number' | 'boolean';
}

interface Profile {
  firstName: string;
  lastName: string;
  email: string;
  fields: Record<string, string | number | boolean>;
  locale?: string | null;
}

/** A form's submit: clears its errors, marks the button busy, sends, and shows field errors from the answer. */
function submitForm(
  formId: string,
  buttonId: string,
  slots: ErrorSlots,
  run: () => Promise<PortalAnswer> | null,
  done: (answer: PortalAnswer) => void,
  failed: () => void = () => undefined,
): void {
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const button = buttonById(buttonId);
    if (button.disabled) return;
    clearErrors(slots);
    const sent = run();
    if (!sent) return;
    setBusy([button], true);
    sent
      .then((answer) => {
        setBusy([button], false);
        if (answer.ok) return done(answer);
        failed();
        showErrors(slots, localized(answer.body), answer.status, { focusFirstField: false });
      })
      .catch(() => {
        setBusy([button], false);
        failed();
        $(slots.formError).textContent = text('account.script.unreachable');
      });
  });
}

export function selfServiceSections(options: { send: Send; say: (text: string) => void; extraFields: ExtraFieldSpec[]; deleted: () => void }) {
  const { send, say, extraFields } = options;
  let email = '';
  const extraSlots: Field[] = extraFields.map((spec) => field(spec.name, `extra-${spec.name}`));

  const profileSlots = {
    formError: 'profile-form-error',
    fields: [field('firstName', 'profile-first-name'), field('lastName', 'profile-last-name'), ...extraSlots],
  };
  submitForm(
    'profile-form',
    'profile-save',
    profileSlots,
    () => {
      $('profile-saved').textContent = '';
      const body: Record<string, unknown> = { firstName: inputById('profile-first-name').value, lastName: inputById('profile-last-name').value };
      extraFields.forEach((spec) => {
        const input = inputById(`extra-${spec.name}`);
        body[spec.name] = spec.type === 'boolean' ? input.checked : input.value;
      });
      return send('PATCH', '/login-flow/me', body);
    },
    (answer) => {
      showProfile(answer.body as unknown as Profile);
      $('profile-saved').textContent = text('selfService.script.profileSaved');
      say(text('selfService.script.profileSaved'));
    },
  );

  const passwordSlots = { formError: 'password-form-error', fields: [field('currentPassword', 'password-current'), field('newPassword', 'password-new')] };
  submitForm(
    'password-form',
    'password-save',
    passwordSlots,
    () => {
      $('password-saved').textContent = '';
      const current = inputById('password-current').value;
      return send('POST', '/login-flow/change-password', {
        ...(current ? { currentPassword: current } : {}),
        newPassword: inputById('password-new').value,
        signOutOtherSessions: inputById('password-sign-out-others').checked,
      });
    },
    (answer) => {
      inputById('password-current').value = '';
      inputById('password-new').value = '';
      const others = Number(answer.body?.signedOutSessions ?? 0);
      const changed = others > 0 ? countText('selfService.script.passwordChangedOthers', others) : text('selfService.script.passwordChanged');
      $('password-saved').textContent = changed;
      say(changed);
    },
  );

  const emailSlots = { formError: 'email-form-error', fields: [field('newEmail', 'email-new'), field('currentPassword', 'email-password')] };
  submitForm(
    'email-form',
    'email-save',
    emailSlots,
    () => {
      $('email-pending').textContent = '';
      const current = inputById('email-password').value;
      return send('POST', '/login-flow/change-email', { newEmail: inputById('email-new').value, ...(current ? { currentPassword: current } : {}) });
    },
    (answer) => {
      inputById('email-password').value = '';
      const pending = answer.body?.pendingEmail;
      const sent = typeof pending === 'string' ? text('selfService.script.emailSent', { email: pending }) : String(answer.body?.message ?? '');
      $('email-pending').textContent = sent;
      say(sent);
    },
  );

  buttonById('my-data-download').addEventListener('click', () => {
    const button = buttonById('my-data-download');
    if (button.disabled) return;
    $('my-data-error').textContent = '';
    setBusy([button], true);
    send('GET', '/login-flow/my-data')
      .then((answer) => {
        setBusy([button], false);
        if (!answer.ok) {
          $('my-data-error').textContent = failureText(answer.body, answer.status, text('selfService.download'));
          return;
        }
        const url = URL.createObjectURL(new Blob([JSON.stringify(answer.body, null, 2)], { type: 'application/json' }));
        const link = document.createElement('a');
        link.href = url;
        link.download = 'my-data.json';
        document.body.appendChild(link);
        link.click();
        link.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        say(text('selfService.script.downloaded'));
      })
      .catch(() => {
        setBusy([button], false);
        $('my-data-error').textContent = text('account.script.unreachable');
      });
  });

  const dialog = $<HTMLDialogElement>('delete-dialog');
  const deleteSlots = { formError: 'delete-form-error', fields: [field('email', 'delete-confirm-email')] };
  buttonById('delete-open').addEventListener('click', () => {
    clearErrors(deleteSlots);
    inputById('delete-confirm-email').value = '';
    dialog.showModal();
    inputById('delete-confirm-email').focus();
  });
  buttonById('delete-cancel').addEventListener('click', () => dialog.close());
  submitForm(
    'delete-form',
    'delete-submit',
    deleteSlots,
    () => {
      if (inputById('delete-confirm-email').value.trim().toLowerCase() !== email.toLowerCase()) {
        showErrors(
          deleteSlots,
          { formError: text('selfService.script.deleteMismatch'), fieldErrors: { email: text('selfService.script.deleteMismatchField') } },
          400,
        );
        return null;
      }
      // Closed first: the step-up dialog may need the screen.
      dialog.close();
      return send('POST', '/login-flow/delete-account');
    },
    () => options.deleted(),
    // A refusal (or a cancelled step-up) is shown in the dialog again: it was closed while the request ran.
    () => {
      if (email && !dialog.open) dialog.showModal();
    },
  );

  function showProfile(profile: Profile): void {
    email = profile.email;
    $('email-current').textContent = profile.email;
    inputById('profile-first-name').value = profile.firstName;
    inputById('profile-last-name').value = profile.lastName;
    extraFields.forEach((spec) => {
      const input = inputById(`extra-${spec.name}`);
      const value = profile.fields?.[spec.name];
      if (spec.type === 'boolean') input.checked = value === true;
      else input.value = value === undefined ? '' : String(value);
    });
  }

  return {
    /** Shows the profile; resolves with the account's language (null when it has none). */
    load: (): Promise<string | null> =>
      send<Profile>('GET', '/login-flow/me').then((answer) => {
        if (!answer.ok || !answer.body) return null;
        showProfile(answer.body);
        return answer.body.locale ?? null;
      }),
    reset: (): void => {
      email = '';
      ['profile-saved', 'password-saved', 'email-pending', 'email-current'].forEach((id) => {
        $(id).textContent = '';
      });
      if (dialog.open) dialog.close();
    },
    /** The address of the signed-in account, for the header after a passkey sign-in. */
    email: (): string => email,
  };
}
