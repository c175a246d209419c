import { settings } from '../config';
import { safeReturnTo } from '../core/return-to';

/** A `return_to` a success page may offer as "Continue", under ALLOWED_ORIGINS and PUBLIC_BASE_URL (core/return-to.ts); undefined otherwise. */
export function allowedReturnTo(value: string | undefined): string | undefined {
  const allowedOrigins = settings()
    .ALLOWED_ORIGINS.split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
  return safeReturnTo(value, { publicBaseUrl: settings().PUBLIC_BASE_URL, allowedOrigins });
}
