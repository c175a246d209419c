/** GET /reset-password: choose a new password with the emailed link, or ask for a new link. */
import { $, buttonById, clearErrors, field, inputById, showErrors } from './form';
import { type LinkPageData, linkPage, UNREACHABLE } from './link-page';

interface ResetData extends LinkPageData {
  validMinutes: number;
}

const page = linkPage<ResetData>({
  pagePath: /\/reset-password\/?$/,
  mainSection: 'set-password',
  title: 'Reset your password',
  resendPath: '/login-flow/reset-password',
  resent: (email, data) =>
    `If an account exists for ${email}, we have sent it a new link. It works once, for ${data.validMinutes} minutes. Check your spam folder if it does not arrive.`,
});
const SLOTS = { formError: 'password-form-error', fields: [field('password'), field('passwordConfirmation')] };

$('show-passwords').addEventListener('change', (event) => {
  const type = (event.target as HTMLInputElement).checked ? 'text' : 'password';
  inputById('password').type = type;
  inputById('passwordConfirmation').type = type;
});

$('password-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (page.isBusy()) return;
  clearErrors(SLOTS);
  const password = inputById('password').value;
  const repeated = inputById('passwordConfirmation').value;
  const problems: Record<string, string> = {};
  if (password.length < 8) problems.password = 'Use at least 8 characters.';
  if (repeated !== password) problems.passwordConfirmation = 'The passwords do not match.';
  if (problems.password || problems.passwordConfirmation) {
    showErrors(SLOTS, { formError: 'Please correct the highlighted fields.', fieldErrors: problems }, 0);
    return;
  }
  const submit = buttonById('password-submit');
  page.busy(submit, true, 'Setting your new password, please wait.');
  page
    .send('/login-flow/reset-password/confirm', { token: page.token, password, passwordConfirmation: repeated })
    .then((result) => {
      page.busy(submit, false);
      if (result.ok) {
        inputById('password').value = '';
        inputById('passwordConfirmation').value = '';
        page.finish('Password changed', result.body?.message || 'Your password was changed.', true);
        return;
      }
      const code = result.body?.error;
      if (typeof code === 'string' && code.indexOf('reset_link_') === 0) return page.offerNewLink(result.body?.formError);
      showErrors(SLOTS, result.body, result.status);
    })
    .catch(() => {
      page.busy(submit, false);
      showErrors(SLOTS, UNREACHABLE, 0);
    });
});

page.start(() => {
  $('title').textContent = 'Choose a new password';
  $('unchecked-note').hidden = page.data.state !== 'unchecked';
  $('password').focus();
});
