import QRCode from 'qrcode';
import * as z from 'zod';
import { formatUserCode } from '../../core/oauth/user-code';
import { httpHandler } from '../../http/pipeline';
import type { HttpResult } from '../../http/responses';
import { userCode } from '../../http/schemas/oauth';
import { validate } from '../../http/validation';
import { verificationUri } from '../../runtime';

const query = z.object({ user_code: userCode });

/**
 * GET /activate/qr.svg?user_code=XXXX-XXXX: a QR code of
 * `verification_uri_complete`, for TV apps that would rather show an image
 * than draw one. It can only ever encode our own /activate URL with a
 * well-formed code, so it is no open redirect; the image is the same for the
 * same code, so it may be cached for a code's lifetime.
 */
export const handler = httpHandler(async (request): Promise<HttpResult> => {
  const { user_code } = validate(query, request.query);
  const url = `${verificationUri()}?user_code=${encodeURIComponent(formatUserCode(user_code))}`;
  const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    statusCode: 200,
    rawBody: svg,
    headers: {
      'Content-Type': 'image/svg+xml; charset=utf-8',
      'Cache-Control': 'public, max-age=600',
      // Opened on its own, the SVG may run nothing and load nothing.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    },
  };
});
