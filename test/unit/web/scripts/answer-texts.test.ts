import { WEB_SIGN_IN_FAILURES } from '../../../../lambdas/core/federation/web-sign-in';
import { CATALOGUES } from '../../../../lambdas/core/i18n/catalogues';
import { en } from '../../../../lambdas/core/i18n/en';
import { LOCALES } from '../../../../lambdas/core/i18n/locales';
import { translator } from '../../../../lambdas/core/i18n/translate';
import { answerMessages } from '../../../../lambdas/web/markup';
import { ANSWER_TEXTS, inPageLanguage } from '../../../../lambdas/web/scripts/answer-texts';

const german = answerMessages(translator('de'));

describe('the API answers the pages say in their language (scripts/answer-texts.ts)', () => {
  it.each(WEB_SIGN_IN_FAILURES)('has a catalogue sentence for the web sign-in failure %s, sent by every sign-in page', (code) => {
    const key = ANSWER_TEXTS[code]?.form;
    expect(key && key in en).toBe(true);
    for (const locale of LOCALES) expect(answerMessages(translator(locale))[key as string]).toBe(CATALOGUES[locale][key as keyof typeof en]);
  });

  it('names only catalogue keys', () => {
    const keys = Object.values(ANSWER_TEXTS).flatMap((text) => [text.form, text.formWhenWaiting, ...Object.values(text.fields ?? {})]);
    expect(keys.filter((key) => key !== undefined && !(key in en))).toEqual([]);
  });

  it('says a failed provider sign-in in the page language', () => {
    const body = inPageLanguage({ error: 'state_invalid', formError: 'This sign-in has expired or was already used. Please start again.' }, german, false);
    expect(body?.formError).toBe('Diese Anmeldung ist abgelaufen oder wurde bereits verwendet. Bitte beginnen Sie erneut.');
  });

  it('says the field of a code it knows in the page language and keeps the code', () => {
    const body = inPageLanguage(
      {
        error: 'invalid_otp',
        formError: 'This code is not valid. Enter the current 6-digit code.',
        fieldErrors: { otp: 'This code is not valid.', email: true },
      },
      german,
      false,
    );
    expect(body).toEqual({
      error: 'invalid_otp',
      formError: german['form.answer.invalidOtp'],
      fieldErrors: { otp: 'Dieser Code ist ungültig.', email: true },
    });
  });

  it('names the wait after too many wrong passwords only when the API does', () => {
    const wrong = { error: 'invalid_credentials', formError: 'The email or password is incorrect.' };
    expect(inPageLanguage(wrong, german, false)?.formError).toBe('E-Mail-Adresse oder Passwort ist falsch.');
    const waiting = { ...wrong, formError: `${wrong.formError} Too many failed attempts: please wait 5 minutes before trying again.` };
    expect(inPageLanguage(waiting, german, false)?.formError).toMatch(/^E-Mail-Adresse oder Passwort ist falsch\. Zu viele Fehlversuche/);
    // An English page keeps the API's exact wait.
    expect(inPageLanguage(waiting, answerMessages(translator('en')), true)?.formError).toBe(waiting.formError);
  });

  it('keeps the API words for an unknown code, or on a page that sent no sentences', () => {
    const unknown = { error: 'something_new', formError: 'Something new.', fieldErrors: { email: 'Odd.' } };
    expect(inPageLanguage(unknown, german, false)).toBe(unknown);
    const known = { error: 'email_not_verified', formError: 'Please confirm your email address first.' };
    expect(inPageLanguage(known, undefined, false)).toBe(known);
    expect(inPageLanguage(known, {}, false)?.formError).toBe(known.formError);
  });

  it('keeps the API exact field words on an English page, and names the field rules in other languages', () => {
    const refused = {
      error: 'invalid_request',
      formError: 'Please correct the highlighted fields.',
      fieldErrors: { password: 'This password is too common.' },
    };
    const english = answerMessages(translator('en'));
    expect(inPageLanguage(refused, english, true)?.fieldErrors).toEqual(refused.fieldErrors);
    expect(inPageLanguage(refused, german, false)?.fieldErrors?.password).toBe(german['form.answer.passwordField']);
  });

  it('fills the password rule with the policy minimum', () => {
    expect(german['form.answer.passwordField']).toContain('mindestens 8 Zeichen');
  });
});
