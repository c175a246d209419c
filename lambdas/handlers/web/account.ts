import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { webSignInProviders } from '../../http/web-sign-in';
import { accountPage } from '../../web/account-page';
import { pageLook } from './page-look';

/** GET /account: the account page (static per configuration; it signs in and calls the Login Flow's routes itself). */
export const handler = httpHandler(async (request) =>
  accountPage({ look: pageLook(request), extraFields: settings().REGISTRATION_EXTRA_FIELDS, providers: webSignInProviders() }),
);
