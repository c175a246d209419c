import type { HttpResult } from '../http/responses';
import SCRIPT from './generated/activate-script.json';
import {
  credentialFields,
  doneStep,
  NEXT_STEP_STYLE,
  oneTimeCodeField,
  passkeySignInButton,
  SECOND_FACTOR_STYLE,
  verifyResendBox,
  webSignInButtons,
} from './markup';
import { type PageLook, renderPage } from './page';

/**
 * GET /activate: where a person connects a TV (RFC 8628 §3.3). Step one asks
 * for the code (pre-filled from `verification_uri_complete`), step two shows
 * which app asks and the code again, so the person can check it against the
 * TV (§5.4 remote phishing), then signs in to approve, or cancels.
 */
const body = (providers: readonly ('apple' | 'google')[]) => `
<h1 id="title" tabindex="-1">Connect your TV</h1>
<section id="step-code">
  <form id="code-form" novalidate aria-describedby="code-form-error">
    <p class="hint">Enter the code shown on your TV screen.</p>
    <div id="code-form-error" class="form-error" role="alert"></div>
    <label for="user_code">Code from your TV</label>
    <input id="user_code" name="user_code" type="text" class="code-input" autocomplete="one-time-code" autocapitalize="characters" autocorrect="off" spellcheck="false" maxlength="32" placeholder="BCDF-GHJK" required aria-describedby="user_code-hint user_code-error">
    <p id="user_code-hint" class="hint">8 letters. Capitals or not, with or without the dash.</p>
    <p id="user_code-error" class="field-error"></p>
    <button id="code-submit" type="submit" aria-busy="false">Continue</button>
  </form>
</section>
<section id="step-approve" hidden>
  <form id="approve-form" novalidate aria-describedby="approve-form-error">
    <p><strong id="client-name"></strong> asks to sign in to your account.</p>
    <p class="notice">Check that your TV shows the code <strong id="confirm-code" class="code"></strong>. If it does not, or you did not start this, choose <em>Cancel sign-in</em>.</p>
    <div id="approve-form-error" class="form-error" role="alert"></div>
    ${verifyResendBox()}
  ${credentialFields()}
  ${oneTimeCodeField()}
    <button id="approve" type="submit" aria-busy="false">Sign in and connect</button>
    ${passkeySignInButton()}
    ${webSignInButtons(providers)}
    <button id="deny" type="button" class="secondary" aria-busy="false">Cancel sign-in</button>
    <p class="links"><button id="change-code" type="button" class="link">Enter a different code</button> · <a id="forgot" href="reset-password">Forgot your password?</a> · <a href="signup">Create account</a></p>
  </form>
</section>
${doneStep('step-done', 'connect your TV', 'Your TV continues by itself: you can close this window.')}`;

const STYLE = `
h1[tabindex="-1"]:focus{outline:none}
.code,.code-input{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;letter-spacing:.15em}
.code-input{text-transform:uppercase;font-size:1.25rem}
.code-input::placeholder{text-transform:none;letter-spacing:.15em}
.links{margin-top:1.25rem;color:var(--muted);font-size:.9rem;text-align:center}
button.link{display:inline;width:auto;margin:0;padding:0;background:none;border:0;color:var(--accent);font:inherit;font-weight:400;text-decoration:underline;cursor:pointer}
button.secondary{margin-top:.75rem}
`;

/** The page, with the code from `?user_code=` (already normalised or cut short by the handler) to pre-fill. */
export function activatePage(options: { userCode?: string; look?: PageLook; providers?: readonly ('apple' | 'google')[] }): HttpResult {
  return renderPage({
    look: options.look,
    title: 'Connect your TV',
    body: body(options.providers ?? []),
    script: SCRIPT,
    style: SECOND_FACTOR_STYLE + NEXT_STEP_STYLE + STYLE,
    data: { userCode: options.userCode ?? '' },
  });
}
