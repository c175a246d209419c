import { authorizationServerMetadata } from '../../core/oauth/authorization-server';
import { httpHandler } from '../../http/pipeline';
import { ok } from '../../http/responses';
import { issuer, publicBaseUrl } from '../../runtime';

/** GET /.well-known/oauth-authorization-server: RFC 8414 metadata (no table, no key: it is built from configuration). */
export const handler = httpHandler(async () => ok(authorizationServerMetadata({ issuer: issuer(), baseUrl: publicBaseUrl() })), { errorStyle: 'oauth' });
