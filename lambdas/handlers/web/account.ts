import { httpHandler } from '../../http/pipeline';
import { accountPage } from '../../web/account-page';
import { pageLook } from './page-look';

/** GET /account: the account page (static; it signs in and calls the Login Flow's factor routes itself). */
export const handler = httpHandler(async (request) => accountPage(pageLook(request)));
