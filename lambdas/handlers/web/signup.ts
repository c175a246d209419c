import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { webSignInProviders } from '../../http/web-sign-in';
import { signupPage } from '../../web/signup-page';
import { pageLook } from './page-look';

/** GET /signup: the sign-up page, with the register route's consents and extra fields from configuration. */
export const handler = httpHandler(async (request) =>
  signupPage({
    termsRequired: settings().TERMS_REQUIRED,
    extraFields: settings().REGISTRATION_EXTRA_FIELDS,
    look: pageLook(request),
    providers: webSignInProviders(),
  }),
);
