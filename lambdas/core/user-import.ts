import * as z from 'zod';
import { isEmail, normalizeEmail } from './email';
import { encodeFirebaseScrypt, type FirebaseScryptProject, parsePasswordHash } from './password-formats';
import type { UserProfile } from './ports';

/**
 * One line of a user import or export file (JSON Lines). `password` is the
 * old system's hash, never a plain password; Firebase users give their hash
 * and salt and the project's parameters come from the command line.
 */
const importLine = z.object({
  email: z.string().max(254),
  firstName: z.string().max(200).optional(),
  lastName: z.string().max(200).optional(),
  approveMarketing: z.boolean().optional(),
  termsAcceptedAt: z.iso.datetime({ offset: true }).optional(),
  createdAt: z.iso.datetime({ offset: true }).optional(),
  emailVerified: z.boolean().optional(),
  /** When the old system verified the address; with `emailVerified: true` and no time, the import's time. */
  emailVerifiedAt: z.iso.datetime({ offset: true }).optional(),
  marketingAcceptedAt: z.iso.datetime({ offset: true }).optional(),
  profileFields: z.record(z.string(), z.union([z.string().max(1000), z.number(), z.boolean()])).optional(),
  externalId: z.string().min(1).max(256).optional(),
  identities: z
    .array(z.object({ provider: z.string().min(1).max(100), userId: z.string().min(1).max(256) }))
    .max(20)
    .optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  /** An operator disabled the account (an export keeps the mark, so a round trip re-enables no one). */
  disabledAt: z.iso.datetime({ offset: true }).optional(),
  password: z
    .union([z.string().min(1), z.object({ algorithm: z.literal('firebase-scrypt'), hash: z.string().min(1), salt: z.string().min(1) }), z.null()])
    .optional(),
});

export type ImportLine = z.infer<typeof importLine>;

/** An account ready to be written: the profile (without its id, the store assigns one) and the hash, if any. */
export interface ImportedAccount {
  email: string;
  passwordHash?: string;
  profile: Omit<UserProfile, 'id'>;
}

/** The profile fields an import line carries: an update replaces these (absent in the line: removed) and keeps the rest. */
export const IMPORTED_PROFILE_KEYS = [
  'email',
  'firstName',
  'lastName',
  'approveMarketing',
  'termsAcceptedAt',
  'createdAt',
  'emailVerifiedAt',
  'marketingAcceptedAt',
  'profileFields',
  'externalId',
  'identities',
  'attributes',
  'disabledAt',
] as const satisfies readonly (keyof UserProfile)[];

export type ParsedLine = { ok: true; account: ImportedAccount } | { ok: false; reason: string };

/** Larger lines are refused before JSON.parse, so one absurd line cannot take the importer's memory. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface ImportOptions {
  firebase?: FirebaseScryptProject;
  /** ISO time used as `createdAt` for lines without one. */
  now: string;
}

/** Reads one line; never throws: a bad line is a reason, and the run goes on. */
export function parseImportLine(text: string, options: ImportOptions): ParsedLine {
  if (text.length > MAX_LINE_BYTES) return { ok: false, reason: `line longer than ${MAX_LINE_BYTES} characters` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not valid JSON' };
  }
  const parsed = importLine.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, reason: `${issue.path.join('.') || 'line'}: ${issue.message}` };
  }
  const line = parsed.data;
  const email = normalizeEmail(line.email);
  if (!isEmail(email)) return { ok: false, reason: 'email: not an email address' };

  let passwordHash: string | undefined;
  if (typeof line.password === 'string') passwordHash = line.password;
  else if (line.password) {
    if (!options.firebase)
      return {
        ok: false,
        reason:
          'password: a Firebase scrypt hash needs the project parameters (--firebase-signer-key, --firebase-salt-separator, --firebase-rounds, --firebase-mem-cost)',
      };
    passwordHash = encodeFirebaseScrypt(options.firebase, line.password.hash, line.password.salt);
  }
  if (passwordHash !== undefined) {
    const hash = parsePasswordHash(passwordHash);
    if (!hash.ok) return { ok: false, reason: `password: ${hash.problem}` };
  }

  const profile: Omit<UserProfile, 'id'> = {
    email,
    firstName: line.firstName ?? '',
    lastName: line.lastName ?? '',
    approveMarketing: line.approveMarketing ?? false,
    ...(line.termsAcceptedAt ? { termsAcceptedAt: line.termsAcceptedAt } : {}),
    createdAt: line.createdAt ?? options.now,
    // The old system's word that the address is proven counts as ours: the same `emailVerifiedAt` a clicked link sets.
    ...(line.emailVerified === true || (line.emailVerified === undefined && line.emailVerifiedAt)
      ? { emailVerifiedAt: line.emailVerifiedAt ?? options.now }
      : {}),
    ...(line.marketingAcceptedAt ? { marketingAcceptedAt: line.marketingAcceptedAt } : {}),
    ...(line.profileFields && Object.keys(line.profileFields).length ? { profileFields: line.profileFields } : {}),
    ...(line.externalId ? { externalId: line.externalId } : {}),
    ...(line.identities?.length ? { identities: line.identities } : {}),
    ...(line.attributes && Object.keys(line.attributes).length ? { attributes: line.attributes } : {}),
    ...(line.disabledAt ? { disabledAt: line.disabledAt } : {}),
  };
  return { ok: true, account: { email, ...(passwordHash ? { passwordHash } : {}), profile } };
}

/** The export line of a stored account: the import format, so a file can go back in (here or elsewhere). */
export function exportLine(profile: UserProfile, passwordHash: string | undefined): string {
  // Named fields only: internal state (sessions not before, verification bookkeeping) stays behind. The disabled mark
  // goes out: an export imported again must not re-enable anyone.
  const line = {
    email: profile.email,
    firstName: profile.firstName,
    lastName: profile.lastName,
    approveMarketing: profile.approveMarketing,
    termsAcceptedAt: profile.termsAcceptedAt,
    marketingAcceptedAt: profile.marketingAcceptedAt,
    createdAt: profile.createdAt,
    emailVerified: Boolean(profile.emailVerifiedAt),
    emailVerifiedAt: profile.emailVerifiedAt,
    externalId: profile.externalId,
    identities: profile.identities,
    profileFields: profile.profileFields,
    attributes: profile.attributes,
    disabledAt: profile.disabledAt,
    id: profile.id,
    password: passwordHash,
  };
  return JSON.stringify(line);
}
