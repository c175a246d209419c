/** GET /verify-email: confirm the address with the emailed link, or ask for a new link. */
import { $, buttonById, failureText, pageText, readPageData } from './form';
import { type LinkPageData, linkPage } from './link-page';

const { messages } = readPageData<LinkPageData>();
const say = (key: string, params?: Record<string, string>) => pageText(messages, key, params);

const page = linkPage({
  pagePath: /\/verify-email\/?$/,
  mainSection: 'confirm',
  title: say('verify.title'),
  resendPath: '/verify-email/resend',
  resent: (email) => say('verify.script.resent', { email }),
});

$('confirm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (page.isBusy()) return;
  const formError = $('confirm-form-error');
  const submit = buttonById('confirm-submit');
  formError.textContent = '';
  page.busy(submit, true, say('verify.script.busy'));
  page
    .send('/verify-email/confirm', { token: page.token })
    .then((result) => {
      page.busy(submit, false);
      if (result.ok) return page.finish(say('verify.script.confirmed'), say('verify.script.confirmedText'), true);
      const code = result.body?.error;
      if (typeof code === 'string' && code.indexOf('verify_link_') === 0)
        return page.offerNewLink(messages?.[`verify.script.${code}`] ?? result.body?.formError);
      formError.textContent = failureText(result.body, result.status);
      submit.focus();
    })
    .catch(() => {
      page.busy(submit, false);
      formError.textContent = say('link.script.unreachable');
    });
});

page.start(() => buttonById('confirm-submit').focus());
