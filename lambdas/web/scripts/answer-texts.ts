/**
 * The API's answers in the page's language, free of the DOM (unit-tested on its own): scripts/form.ts applies it to
 * every answer a form shows, with the messages of the page's `#page-data` (lambdas/web/markup.ts `answerMessages`).
 */

/** What the API answers on an error (and some successes): the documented error shape, loosely. */
export interface ApiBody {
  error?: string;
  formError?: string;
  fieldErrors?: Record<string, string | boolean>;
  message?: string;
}

/**
 * The API's answers in the page's language. The API keeps its documented English
 * `formError` and `fieldErrors`; the page picks its own sentence by the answer's
 * `error` code (and, for a refused form, by the field's name). A code the table
 * does not know, or a page that sent none of these keys, keeps the API's words.
 */
interface AnswerText {
  form?: string;
  /** The form text when the API's English says the person must wait (`invalid_credentials` after many failures). */
  formWhenWaiting?: string;
  /** The API's English names how long to wait ("try again in 5 minutes"): English pages keep it; the translation says "a little". */
  namesWait?: boolean;
  fields?: Record<string, string>;
  /**
   * The fields' sentences of a refused form (`FIELD_TEXTS`), for pages not in English: one sentence per field names
   * its rules, where the API's English names the exact problem ("too common", "too long"), which English pages keep.
   */
  ruleFields?: boolean;
}
/** A refused form's fields (`invalid_request` from zod, `invalid_registration`, the policy's `weak_password`). */
const FIELD_TEXTS: Record<string, string> = {
  email: 'form.answer.emailField',
  password: 'form.answer.passwordField',
  newPassword: 'form.answer.passwordField',
  passwordConfirmation: 'form.answer.passwordConfirmationField',
  firstName: 'form.answer.firstNameField',
  lastName: 'form.answer.lastNameField',
  approveTermsOfUse: 'form.answer.termsField',
  otp: 'form.answer.invalidOtpField',
};
const REFUSED_FORM: AnswerText = { form: 'form.script.correct', ruleFields: true };
const OTP_ASKED: AnswerText = { form: 'form.answer.mfaRequired', fields: { otp: 'factor.script.enterCodeField' } };
const PARTNER_DOWN: AnswerText = { form: 'form.answer.partnerUnavailable' };
export const ANSWER_TEXTS: Record<string, AnswerText> = {
  invalid_request: REFUSED_FORM,
  invalid_registration: REFUSED_FORM,
  weak_password: { form: 'account.error.weakPassword', ruleFields: true },
  invalid_credentials: { form: 'form.answer.invalidCredentials', formWhenWaiting: 'form.answer.invalidCredentialsWait', namesWait: true },
  email_not_verified: { form: 'form.answer.emailNotVerified' },
  mfa_required: OTP_ASKED,
  invalid_otp: { form: 'form.answer.invalidOtp', fields: { otp: 'form.answer.invalidOtpField' } },
  otp_reused: { form: 'form.answer.otpReused', fields: { otp: 'form.answer.otpReusedField' } },
  email_taken: { form: 'signup.script.email_taken', fields: { email: 'signup.script.email_taken' } },
  address_banned: { form: 'signup.script.address_banned', fields: { email: 'signup.script.address_banned' } },
  invalid_challenge: { form: 'form.answer.passkeyExpired' },
  invalid_passkey: { form: 'form.answer.passkeyInvalid' },
  unknown_passkey: { form: 'form.answer.passkeyUnknown' },
  // /activate's code refusals (core/oauth/activation.ts).
  unknown_code: { form: 'activate.script.unknown_code', fields: { user_code: 'activate.script.unknown_code' } },
  code_used: { form: 'activate.script.code_used', fields: { user_code: 'activate.script.code_used' } },
  code_denied: { form: 'activate.script.code_denied', fields: { user_code: 'activate.script.code_denied' } },
  code_expired: { form: 'activate.script.code_expired', fields: { user_code: 'activate.script.code_expired' } },
  // The web sign-in's callback codes (`#federated_error`, core/federation/web-sign-in.ts) and its web-session answers.
  state_invalid: { form: 'form.answer.webSignInExpired' },
  provider_refused: { form: 'form.answer.providerRefused' },
  provider_unavailable: { form: 'form.answer.providerUnavailable' },
  invalid_id_token: { form: 'form.answer.providerTokenRejected' },
  email_required: { form: 'form.answer.providerNoEmail' },
  account_exists_sign_in_to_link: { form: 'form.answer.signInToLink' },
  partner_unavailable: PARTNER_DOWN,
  partner_timeout: PARTNER_DOWN,
  partner_busy: { ...PARTNER_DOWN, namesWait: true },
  partner_rejected: PARTNER_DOWN,
  partner_bad_answer: PARTNER_DOWN,
  temporarily_unavailable: { form: 'form.answer.serviceBusy' },
  internal_error: { form: 'form.answer.internal' },
  // The account's own answers (scripts/page-texts.ts).
  current_password_required: { form: 'account.error.currentPasswordRequired', fields: { currentPassword: 'account.error.currentPasswordRequired' } },
  invalid_current_password: { form: 'account.error.invalidCurrentPassword', fields: { currentPassword: 'account.error.invalidCurrentPassword' } },
  same_email: { form: 'account.error.sameEmail', fields: { newEmail: 'account.error.sameEmailField' } },
  too_many_attempts: { form: 'account.error.tooManyAttempts', namesWait: true },
  last_sign_in_method: { form: 'linked.script.lastMethod' },
  already_linked: { form: 'linked.script.alreadyLinked' },
  reauthentication_required: { form: 'linked.script.signInAgain' },
};

/** `account_disabled` has no code of its own (403 `forbidden`): the API's one sentence for it names it. */
const DISABLED_ENGLISH = 'This account has been disabled. Please contact support.';

/**
 * The answer with its sentences in the page's language where `messages` has them; anything else as the API said it.
 * `english`: the page is in English (it keeps the API's exact field words).
 */
export function inPageLanguage<T extends ApiBody>(body: T | null, messages: Record<string, string> | undefined, english: boolean): T | null {
  if (!body || !messages) return body;
  const known = body.error === 'forbidden' && body.formError === DISABLED_ENGLISH ? { form: 'form.answer.accountDisabled' } : ANSWER_TEXTS[body.error ?? ''];
  if (!known) return body;
  const waiting = known.formWhenWaiting && /\bwait\b/i.test(body.formError ?? '') ? known.formWhenWaiting : known.form;
  const formKey = waiting && messages[waiting] && !(english && known.namesWait) ? waiting : undefined;
  const fieldKeys = { ...(known.ruleFields && !english ? FIELD_TEXTS : {}), ...known.fields };
  const fieldErrors: Record<string, string | boolean> = { ...(body.fieldErrors ?? {}) };
  for (const [name, message] of Object.entries(fieldErrors)) {
    const key = fieldKeys[name];
    if (typeof message === 'string' && key && messages[key]) fieldErrors[name] = messages[key];
  }
  return { ...body, ...(formKey ? { formError: messages[formKey] } : {}), fieldErrors };
}
