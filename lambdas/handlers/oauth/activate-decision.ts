import { type FieldErrors, ValidationError } from '../../core/errors';
import type { Approver } from '../../core/oauth/activation';
import { httpHandler } from '../../http/pipeline';
import { bearerToken } from '../../http/request';
import { ok } from '../../http/responses';
import { loginBody } from '../../http/schemas/login-flow';
import { activationDecisionBody } from '../../http/schemas/oauth';
import { validate } from '../../http/validation';
import { activation } from '../../runtime';

/** Runs every validation and reports all failing fields at once. */
function validateAll<T extends unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  const results = checks.map((check) => {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      Object.assign(fieldErrors, error.fieldErrors);
      formError ??= error.formError;
      return undefined;
    }
  });
  if (formError !== undefined) throw new ValidationError(formError, fieldErrors);
  return results as T;
}

/**
 * POST /activate/decision `{user_code, decision: "approve"|"deny", email?, password?, otp?}`:
 * approve signs the user in (email + password, and `otp` for an account with a
 * second factor, under the Login Flow's back-off,
 * or `Authorization: Bearer` from an app already signed in) and hands the
 * grant to them; deny needs no sign-in.
 */
export const handler = httpHandler(
  async (request) => {
    const accessToken = bearerToken(request.headers);
    const wantsApproval = (request.body as { decision?: unknown } | undefined)?.decision === 'approve';
    const [{ user_code, decision }, credentials] = validateAll(
      () => validate(activationDecisionBody, request.body),
      () => (wantsApproval && !accessToken ? validate(loginBody, request.body) : undefined),
    );
    const approver: Approver | undefined = decision === 'approve' ? (accessToken ? { accessToken } : credentials) : undefined;
    const result = await activation().decide({ userCode: user_code, decision, approver, clientIp: request.clientIp, correlationId: request.correlationId });
    const message =
      result.decision === 'approved'
        ? `Done: ${result.client_name} is now signed in. You can go back to your TV.`
        : 'The sign-in was cancelled. Your TV was not signed in.';
    return ok({ status: 200, ...result, message });
  },
  { errorStyle: 'api' },
);
