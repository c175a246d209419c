import type { z } from 'zod';
import { type FieldErrors, ValidationError } from '../core/errors';

/**
 * Validates with zod and turns the issues into the Login Flow's `fieldErrors`:
 * one message per field, the first that applies. Unknown fields are dropped,
 * never rejected: real clients send extra ones.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, formError = 'Please correct the highlighted fields.'): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const fieldErrors: FieldErrors = {};
  let topLevel: string | undefined;
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (typeof field === 'string') fieldErrors[field] ??= issue.message;
    else topLevel ??= issue.code === 'invalid_type' ? 'The request body must be a JSON object.' : issue.message;
  }
  throw new ValidationError(topLevel ?? formError, fieldErrors);
}
