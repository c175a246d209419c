import { httpHandler } from '../../http/pipeline';
import { portalPage } from '../../web/portal-page';
import { pageLook } from '../web/page-look';

/** GET /portal: the portal web page (static; it signs in and calls the API itself). */
export const handler = httpHandler(async (request) => portalPage(pageLook(request)));
