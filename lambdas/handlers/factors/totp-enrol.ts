import QRCode from 'qrcode';
import { httpHandler } from '../../http/pipeline';
import { created } from '../../http/responses';
import { totpEnrolBody } from '../../http/schemas/factors';
import { validate } from '../../http/validation';
import { secondFactors } from '../../runtime';
import { factorOwner } from './caller';

/**
 * POST /login-flow/factors/totp: starts a TOTP enrolment. The otpauth:// URI,
 * its QR code (SVG) and the secret as text are in this answer only; the
 * factor counts once POST /login-flow/factors/totp/confirm proves a first code.
 */
export const handler = httpHandler(async (request) => {
  const session = await factorOwner(request);
  const { label } = validate(totpEnrolBody, request.body ?? {});
  const enrolment = await secondFactors().enrolTotp(session.sub, label);
  const qrCodeSvg = await QRCode.toString(enrolment.otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return created({ ...enrolment, qrCodeSvg }, { 'Cache-Control': 'no-store' });
});
