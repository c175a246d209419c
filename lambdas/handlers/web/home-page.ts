import { httpHandler } from '../../http/pipeline';
import { homePage } from '../../web/home-page';
import { pageLook } from './page-look';

/** GET /: the home page for people (links to sign-up, the account, TV activation, the portal and password reset). */
export const handler = httpHandler(async (request) => homePage(pageLook(request)));
