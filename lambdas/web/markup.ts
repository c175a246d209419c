/**
 * Form markup the pages share, so that the ids the page scripts rely on
 * (`<field>` and `<field>-error`, `<form>-error`) are written in one place.
 */

/** A labelled email input with its message slot. */
export const emailField = (id: string, label: string, autocomplete: string): string => `
<label for="${id}">${label}</label>
<input id="${id}" name="email" type="email" autocomplete="${autocomplete}"${autocomplete === 'off' ? '' : ' autocapitalize="none" spellcheck="false"'} required aria-describedby="${id}-error">
<p id="${id}-error" class="field-error"></p>`;

/** Email and password for signing in (ids `email` and `password`, as the scripts' `readCredentials` expects). */
export const credentialFields = (): string => `${emailField('email', 'Email', 'username')}
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required aria-describedby="password-error">
<p id="password-error" class="field-error"></p>`;

/** The "Send a new link" box for an `email_not_verified` refusal (see scripts/verify-resend.ts); hidden until then. */
export const verifyResendBox = (): string => `
<div id="verify-box" hidden>
  <button id="resend" type="button" class="secondary">Send a new link</button>
  <p id="resend-status" class="notice" role="status" hidden></p>
</div>`;

/**
 * The end of a page opened from an emailed link: the "send me a new link"
 * form, the done notice and the status line (see scripts/link-page.ts).
 */
export const linkPageTail = (options: { hint: string; button: string; needs: string }): string => `
<section id="request-link" hidden>
  <form id="request-form" novalidate aria-describedby="request-form-error">
    <p id="link-problem" class="form-error" hidden></p>
    <p class="hint">${options.hint}</p>
    <div id="request-form-error" class="form-error" role="alert"></div>
    ${emailField('email', 'Email', 'email')}
    <button id="request-submit" type="submit" aria-busy="false">${options.button}</button>
  </form>
</section>
${doneStep('done', options.needs)}`;

/** The closing notice of a page with steps, its screen-reader status line and the no-JavaScript note. */
export const doneStep = (sectionId: string, needs: string): string => `
<section id="${sectionId}" hidden>
  <p id="done-text" class="notice" role="status"></p>
</section>
<p id="status" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="form-error">This page needs JavaScript to ${needs}.</p></noscript>
`;

/** Style of the pages opened from an emailed link: the focusable title and the problem notice. */
export const LINK_PAGE_STYLE = `
h1[tabindex="-1"]:focus{outline:none}
#link-problem{margin:0 0 1rem}
`;

/** What scripts/link-page.ts reads from `#page-data`: the token only while the link may still work. */
export function linkPageData(options: { state: string; token?: string; problem?: string }): { state: string; token: string; problem: string } {
  const withToken = options.state === 'valid' || options.state === 'unchecked';
  return { state: options.state, token: withToken ? (options.token ?? '') : '', problem: options.problem ?? '' };
}
