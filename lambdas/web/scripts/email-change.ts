/** GET /account/email-change: confirm the new address with the link that was sent to it. */
import { $, apiBase, buttonById, failureText, pageText, postJson, readPageData, setBusy } from './form';

interface EmailChangePageData {
  state: 'valid' | 'used' | 'expired' | 'invalid' | 'unchecked';
  token: string;
  problem: string;
  problemTitle: string;
  returnTo: string;
  messages: Record<string, string>;
}

const data = readPageData<EmailChangePageData>();
const say = (key: string) => pageText(data.messages, `emailChange.script.${key}`);
const base = apiBase(/\/account\/email-change\/?$/);
const status = $('status');
const title = $('title');
// The token stays in memory only: the address bar and the history lose it.
if (window.location.search) window.history.replaceState(null, '', window.location.pathname);
if (data.returnTo) {
  $<HTMLAnchorElement>('continue').href = data.returnTo;
  $('continue').textContent = say('continue');
}

function showProblem(message: string): void {
  title.textContent = data.problemTitle;
  $('link-problem').textContent = message;
  $('link-problem').hidden = false;
  $('confirm').hidden = true;
  title.focus();
}

function showDone(message: string): void {
  title.textContent = say('changed');
  $('confirm').hidden = true;
  $('done-message').textContent = message;
  $('done').hidden = false;
  title.focus();
}

$('confirm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const submit = buttonById('confirm-submit');
  if (submit.disabled) return;
  const formError = $('confirm-form-error');
  formError.textContent = '';
  setBusy([submit], true, { element: status, message: say('busy') });
  postJson(`${base}/account/email-change/confirm`, { token: data.token })
    .then((result) => {
      setBusy([submit], false, { element: status, message: '' });
      if (result.ok)
        return showDone(pageText(data.messages, 'emailChange.script.changedText', { email: String((result.body as { email?: string } | null)?.email ?? '') }));
      const code = result.body?.error;
      if (typeof code === 'string' && code.indexOf('email_change_') === 0)
        return showProblem(data.messages[`emailChange.script.${code}`] ?? String(result.body?.formError || ''));
      formError.textContent = failureText(result.body, result.status);
      submit.focus();
    })
    .catch(() => {
      setBusy([submit], false, { element: status, message: '' });
      formError.textContent = pageText(data.messages, 'link.script.unreachable');
    });
});

if (data.state === 'valid' || data.state === 'unchecked') {
  $('confirm').hidden = false;
  buttonById('confirm-submit').focus();
} else {
  showProblem(data.problem);
}
