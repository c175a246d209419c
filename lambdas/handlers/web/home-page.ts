import { httpHandler } from '../../http/pipeline';
import { homePage } from '../../web/home-page';

/** GET /: the home page for people (links to the account, TV activation, the portal and password reset). */
export const handler = httpHandler(async () => homePage());
