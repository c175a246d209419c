/** GET /verify-email: confirm the address with the emailed link, or ask for a new link. */
import { $, buttonById, failureText } from './form';
import { linkPage, UNREACHABLE } from './link-page';

const page = linkPage({
  pagePath: /\/verify-email\/?$/,
  mainSection: 'confirm',
  title: 'Confirm your email',
  resendPath: '/verify-email/resend',
  resent: (email) => `If ${email} belongs to an account that is not confirmed yet, we have sent it a new link. Check your spam folder if it does not arrive.`,
});

$('confirm-form').addEventListener('submit', (event) => {
  event.preventDefault();
  if (page.isBusy()) return;
  const formError = $('confirm-form-error');
  const submit = buttonById('confirm-submit');
  formError.textContent = '';
  page.busy(submit, true, 'Confirming, please wait.');
  page
    .send('/verify-email/confirm', { token: page.token })
    .then((result) => {
      page.busy(submit, false);
      if (result.ok) return page.finish('Email confirmed', result.body?.message || 'Your email address is confirmed.', true);
      const code = result.body?.error;
      if (typeof code === 'string' && code.indexOf('verify_link_') === 0) return page.offerNewLink(result.body?.formError);
      formError.textContent = failureText(result.body, result.status);
      submit.focus();
    })
    .catch(() => {
      page.busy(submit, false);
      formError.textContent = UNREACHABLE.formError ?? '';
    });
});

page.start(() => buttonById('confirm-submit').focus());
