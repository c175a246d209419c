import * as z from 'zod';
import { UUID_PATTERN } from '../../core/sso/partner-identities';

/**
 * A user's partner identities, as an operator sets them (the operator
 * console's `PUT /admin/users/{userId}/partners`). Each partner's object is
 * stored whole under `attributes.<partner>` on the user record (`acronis`),
 * or for Astrato under the attributes the hand-off reads
 * (`astratoGroupIds`); `null` removes it, an absent key leaves it alone.
 * Unknown fields are dropped.
 */
const identifier = (label: string) =>
  z
    .string({ error: `${label} must be a string.` })
    .trim()
    .min(1, `${label} must not be empty.`)
    .max(256, `${label} can be at most 256 characters.`);

export const acronisIdentityBody = z.object({
  login: identifier('login').optional(),
  externalId: identifier('externalId').optional(),
  userId: z
    .string({ error: 'userId must be a string.' })
    .trim()
    .regex(UUID_PATTERN, 'userId must be the Acronis user UUID, like 3f0c7a52-1c1e-4a8e-9d2b-2f5e0b7c9a10.')
    .transform((value) => value.toLowerCase())
    .optional(),
});

export const astratoIdentityBody = z.object({
  /** Astrato groups of this user; sent on every ticket instead of ASTRATO_DEFAULT_GROUP_IDS. */
  groupIds: z.array(identifier('A group id')).max(100, 'At most 100 groups.').optional(),
});

export const partnerIdentitiesBody = z.object({
  acronis: acronisIdentityBody.nullable().optional(),
  astrato: astratoIdentityBody.nullable().optional(),
});

export type PartnerIdentities = z.infer<typeof partnerIdentitiesBody>;
