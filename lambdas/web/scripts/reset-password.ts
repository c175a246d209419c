/** GET /reset-password: choose a new password with the emailed link, or ask for a new link. */
import { $, buttonById, clearErrors, field, inputById, pageText, readPageData, showErrors } from './form';
import { type LinkPageData, linkPage } from './link-page';

interface ResetData extends LinkPageData {
  validMinutes: number;
  messages: Record<string, string>;
}

const { messages } = readPageData<ResetData>();
const say = (key: string) => pageText(messages, `reset.script.${key}`);

const page = linkPage<ResetData>({
  pagePath: /\/reset-password\/?$/,
  mainSection: 'set-password',
  title: pageText(messages, 'reset.title'),
  resendPath: '/login-flow/reset-password',
  resent: (email) => pageText(messages, 'reset.script.resent', { email }),
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
  if (password.length < 8) problems.password = say('tooShort');
  if (repeated !== password) problems.passwordConfirmation = say('mismatch');
  if (problems.password || problems.passwordConfirmation) {
    showErrors(SLOTS, { formError: say('correct'), fieldErrors: problems }, 0);
    return;
  }
  const submit = buttonById('password-submit');
  page.busy(submit, true, say('busy'));
  page
    .send('/login-flow/reset-password/confirm', { token: page.token, password, passwordConfirmation: repeated })
    .then((result) => {
      page.busy(submit, false);
      if (result.ok) {
        inputById('password').value = '';
        inputById('passwordConfirmation').value = '';
        page.finish(say('changed'), say('changedText'), true);
        return;
      }
      const code = result.body?.error;
      if (typeof code === 'string' && code.indexOf('reset_link_') === 0) return page.offerNewLink(messages[`reset.script.${code}`] ?? result.body?.formError);
      showErrors(SLOTS, result.body, result.status);
    })
    .catch(() => {
      page.busy(submit, false);
      showErrors(SLOTS, { formError: pageText(messages, 'link.script.unreachable') }, 0);
    });
});

page.start(() => {
  $('title').textContent = say('choose');
  $('unchecked-note').hidden = page.data.state !== 'unchecked';
  $('password').focus();
});
