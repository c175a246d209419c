import { settings } from '../../config';
import { chooseLanguage } from '../../core/i18n/negotiate';
import { count } from '../../http/metrics';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { registerBody } from '../../http/schemas/login-flow';
import { validate } from '../../http/validation';
import { loginFlow } from '../../runtime';

const schema = registerBody({ termsRequired: settings().TERMS_REQUIRED, extraFields: settings().REGISTRATION_EXTRA_FIELDS });

/** POST /login-flow/register: create an account and sign it in. */
export const handler = httpHandler(
  async (request) => {
    const input = validate(schema, request.body);
    // The account's emails speak the language it registered in: ?lang= (the sign-up page's), the lang cookie, Accept-Language.
    const { locale } = chooseLanguage({ query: request.query.lang, cookieHeader: request.headers.cookie, acceptLanguage: request.headers['accept-language'] });
    const tokens = await loginFlow().register({ ...input, locale });
    count('Registration');
    return ok(tokens);
  },
  { errorStyle: 'login-flow' },
);
