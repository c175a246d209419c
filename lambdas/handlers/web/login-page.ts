import { settings } from '../../config';
import { httpHandler } from '../../http/pipeline';
import { loginPage } from '../../web/login-page';

/** GET /login: the custom Astrato login page (framable only by LOGIN_PAGE_FRAME_ANCESTORS). */
export const handler = httpHandler(async () => loginPage({ frameAncestors: settings().LOGIN_PAGE_FRAME_ANCESTORS }));
