/** One invitation form (team or admin): sends the email, shows field errors, hands the invitation on. */
import { $, buttonById, clearErrors, field, inputById } from '../form';
import { text } from '../page-texts';
import type { Invitation } from '../portal-api';
import { busy, showFieldErrors } from './dom';
import { send } from './session';

export function inviteForm(formId: string, inputId: string, buttonId: string, path: string, onDone: (body: Invitation) => void): void {
  const formError = formId.replace('-form', '-error');
  const slots = { formError, fields: [field('email', inputId)] };
  $(formId).addEventListener('submit', (event) => {
    event.preventDefault();
    const submit = buttonById(buttonId);
    clearErrors(slots);
    busy(submit, true);
    const payload: Record<string, string> = { email: inputById(inputId).value.trim() };
    if (formId === 'admin-invite-form') payload.kind = $<HTMLSelectElement>('admin-kind').value;
    send<Invitation>('POST', path, payload)
      .then((result) => {
        busy(submit, false);
        if (!result.ok) return showFieldErrors(result, slots);
        inputById(inputId).value = '';
        onDone(result.body as Invitation);
      })
      .catch(() => {
        busy(submit, false);
        $(formError).textContent = text('portal.script.unreachable');
      });
  });
}
