import * as z from 'zod';
import { isEmail, normalizeEmail } from '../../core/email';

/**
 * Requests of the operator console (/admin/users, /admin/audit). Unknown
 * fields are dropped, never rejected.
 */

const ID = /^[A-Za-z0-9_-]{1,64}$/;
const NO_CONTROL = /^[^\p{Cc}]*$/u;

export const emailQuery = z.object({
  email: z
    .string({ error: 'Give the email address to look up.' })
    .trim()
    .min(1, 'Give the email address to look up.')
    .max(254, 'This email address is too long.')
    .refine(isEmail, 'Enter a valid email address, like name@example.com.')
    .transform(normalizeEmail),
});

/** POST /admin/bans/clear: the address in the body, not the URL, so it stays out of access logs. */
export const banClearBody = z
  .object({
    email: z
      .string({ error: 'Give the email address whose ban to lift.' })
      .trim()
      .min(1, 'Give the email address whose ban to lift.')
      .max(254, 'This email address is too long.')
      .refine(isEmail, 'Enter a valid email address, like name@example.com.')
      .transform(normalizeEmail),
  })
  .meta({ id: 'BanClear', description: 'The address whose ban (left by a deleted disabled account) to lift.' });

export const auditQuery = z.object({
  userId: z.string().regex(ID, 'Not a user id.').optional(),
  actor: z.string().regex(ID, 'Not a user id.').optional(),
  limit: z.coerce
    .number({ error: 'A number from 1 to 100.' })
    .int('A number from 1 to 100.')
    .min(1, 'A number from 1 to 100.')
    .max(100, 'A number from 1 to 100.')
    .default(25),
  cursor: z.string().max(512, 'Not a cursor from this listing.').optional(),
});

const text = (what: string, max = 256) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .min(1, `${what} must not be empty.`)
    .max(max, `${what} is at most ${max} characters.`)
    .regex(NO_CONTROL, `${what} must not contain control characters.`);

/** Acronis identifies a user by login, external id or its own user id (a UUID); at least one is needed. */
export const acronisIdentity = z
  .object({
    login: text('The Acronis login').optional(),
    externalId: text('The Acronis external id').optional(),
    userId: z
      .string({ error: 'The Acronis user id must be text.' })
      .trim()
      .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'The Acronis user id is a UUID.')
      .transform((value) => value.toLowerCase())
      .optional(),
  })
  .refine((value) => value.login || value.externalId || value.userId, 'Give at least one of login, externalId and userId.')
  .meta({ id: 'AcronisIdentity', description: 'How Acronis knows the user.' });

/**
 * A filter parameter's name: Astrato's documented `[table].[column]` form (or
 * a plain name). Names an object inherits (`constructor`, `__proto__`, ...)
 * are refused as bad input, never looked up.
 */
const FILTER_NAME = /^(\[[^[\]\p{Cc}]{1,64}\]\.\[[^[\]\p{Cc}]{1,64}\]|[A-Za-z0-9_.-]{1,64})$/u;
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const filterName = z
  .string()
  .regex(FILTER_NAME, 'Filter names are "[table].[column]" (as Astrato documents) or letters, digits, ".", "_" and "-".')
  .refine((name) => !INHERITED_NAMES.has(name), 'This name cannot be a filter name.');

/** Astrato group ids and the filter parameters its OEM ticket carries. */
export const astratoIdentity = z
  .object({
    groups: z.array(text('A group id', 128)).max(100, 'At most 100 groups.').default([]),
    filters: z
      .preprocess(
        // Checked on the request's own keys: once copied into an object, `__proto__` would silently vanish.
        (value, context) => {
          const inherited = value && typeof value === 'object' ? Object.keys(value).filter((name) => INHERITED_NAMES.has(name)) : [];
          if (inherited.length) context.addIssue({ code: 'custom', message: `Not a filter name: ${inherited.join(', ')}.`, input: value });
          return value;
        },
        z
          .record(filterName, z.union([text('A filter value'), z.array(text('A filter value')).max(50, 'At most 50 values per filter.')]))
          .refine((value) => Object.keys(value).length <= 20, 'At most 20 filters.'),
      )
      .default({}),
  })
  .meta({ id: 'AstratoIdentity', description: 'Astrato groups and filter parameters.' });

export const partnersBody = z
  .object({
    acronis: acronisIdentity.nullable().optional().describe('Absent or null: removed.'),
    astrato: astratoIdentity.nullable().optional().describe('Absent or null: removed.'),
  })
  .meta({ id: 'PartnerIdentities', description: 'Replaces both partner identities of the user.' });

export type PartnersInput = z.infer<typeof partnersBody>;
