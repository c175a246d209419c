import type { UserProfile } from './ports';

/** One consent: whether it was given and when (null: not given, or given before we kept the time). */
export interface Consent {
  given: boolean;
  at: string | null;
}

/** The answer of GET /login-flow/me. */
export interface ProfileView {
  status: 200;
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  email_verified: boolean;
  consents: { approveTermsOfUse: Consent; approveMarketing: Consent };
  /** The extra register fields the user gave (REGISTRATION_EXTRA_FIELDS). */
  fields: Record<string, string | number | boolean>;
  /** The account's language (stored at registration), or null: the account page switches to it when the visitor chose none. */
  locale: string | null;
}

/**
 * What a signed-in user may read about themselves. `email_verified` comes
 * from the profile's verification time; profiles written before that field
 * existed read as unverified, never as verified.
 */
export function profileView(profile: UserProfile): ProfileView {
  const verifiedAt = (profile as UserProfile & { emailVerifiedAt?: unknown }).emailVerifiedAt;
  return {
    status: 200,
    id: profile.id,
    firstName: profile.firstName,
    lastName: profile.lastName,
    email: profile.email,
    email_verified: Boolean(verifiedAt),
    consents: {
      approveTermsOfUse: { given: Boolean(profile.termsAcceptedAt), at: profile.termsAcceptedAt ?? null },
      approveMarketing: { given: Boolean(profile.approveMarketing || profile.marketingAcceptedAt), at: profile.marketingAcceptedAt ?? null },
    },
    fields: { ...(profile.profileFields ?? {}) },
    locale: profile.locale ?? null,
  };
}
