import * as z from 'zod';
import type { ProfileFieldSpec, ProfileFieldValue } from '../../core/profile-fields';

/**
 * The zod check of one configured extra field. Absent, null or empty means
 * "not given" (the field is optional, like the Login Flow's own checkboxes);
 * a value of the wrong type or too long is a field error under its own name.
 */
function fieldSchema(spec: ProfileFieldSpec): z.ZodType<ProfileFieldValue | undefined> {
  const given = (read: (value: unknown) => unknown) => (value: unknown) => (value === null || value === '' ? undefined : read(value));
  switch (spec.type) {
    case 'string':
      return z.preprocess(
        given((value) => value),
        z
          .string({ error: `${spec.name} must be text.` })
          .trim()
          .max(spec.maxLength, `${spec.name} can be at most ${spec.maxLength} characters.`)
          .transform((value) => value || undefined)
          .optional(),
      );
    case 'number':
      return z.preprocess(
        given((value) => (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value)),
        z
          .number({ error: `${spec.name} must be a number.` })
          .refine((value) => Number.isFinite(value), `${spec.name} must be a number.`)
          .refine((value) => String(value).length <= spec.maxLength, `${spec.name} can be at most ${spec.maxLength} characters long.`)
          .optional(),
      );
    case 'boolean':
      return z.preprocess(
        given((value) => (value === 'on' || value === 'true' ? true : value === 'off' || value === 'false' ? false : value)),
        z.boolean({ error: `${spec.name} must be true or false.` }).optional(),
      );
  }
}

/** The configured extra fields of a register body, gathered under `profileFields` (given ones only). */
export function profileFieldsBody(specs: readonly ProfileFieldSpec[]) {
  const shape: Record<string, z.ZodType<ProfileFieldValue | undefined>> = {};
  for (const spec of specs) shape[spec.name] = fieldSchema(spec);
  return z.object(shape).transform((values) => ({
    profileFields: Object.fromEntries(Object.entries(values).filter((entry): entry is [string, ProfileFieldValue] => entry[1] !== undefined)),
  }));
}
