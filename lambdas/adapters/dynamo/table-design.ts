/**
 * The single table's shape. The CDK stack and the local stack both build the
 * table from this, so they cannot drift apart.
 *
 * | item            | pk                 | sk                 | expires (TTL)                  |
 * |-----------------|--------------------|--------------------|--------------------------------|
 * | credential      | EMAIL#<email>      | CREDENTIAL         | never                          |
 * | profile         | USER#<id>          | PROFILE            | never                          |
 * | session family  | USER#<id>          | SESSION#<familyId> | idle or absolute end           |
 * | reset token     | USER#<id>          | RESET#<hash>       | 30 min                         |
 * | email verification | USER#<id>     | VERIFY#<hash>      | 24 h (EMAIL_VERIFICATION_TTL)  |
 * | team clean-up   | CLEANUPS           | TEAM#<teamId>      | never (deleted when finished)  |
 * | throttle count  | THROTTLE#<key>     | COUNTER            | end of window / streak memory (mail limits: key holds a hash of the address) |
 * | partner claim   | PARTNER#<partner>#<kind>#<value> | CLAIM | none (released with the identity) |
 * | device grant    | DEVICE#<userCode>  | DEVICE             | code lifetime + 1 h            |
 * | portal membership | USER#<id>        | PORTAL             | never (teamId, permissions SS, recordedGrants SS) |
 * | idempotency record | USER#<id>       | IDEMPOTENCY#<hash> | 24 h (PORTAL_IDEMPOTENCY_TTL)  |
 * | team            | TEAMS              | TEAM#<teamId>      | never (counts of members, credentials) |
 * | team member     | TEAM#<teamId>      | MEMBER#<userId>    | never                          |
 * | team credential | TEAM#<teamId>      | CLIENT#<clientId>  | never (index of Auth0 clients) |
 * | team invitation | TEAM#<teamId>      | INVITE#<inviteId>  | invitation lifetime            |
 * | admin invitation | PORTAL#ADMIN      | INVITE#<inviteId>  | invitation lifetime            |
 * | device pointer  | USER#<id>          | DEVICE#<userCode>  | 1 day (an approved TV sign-in, for sign-out) |
 * | verification token | USER#<id>       | VERIFY#<hash>      | VERIFICATION_TOKEN_TTL         |
 * | email change    | USER#<id>          | EMAILCHANGE#<hash> | EMAIL_CHANGE_TOKEN_TTL (newEmail, oldEmail, usedAt) |
 * | email tombstone | TOMBSTONE#<sha256(email)> | EMAIL        | never (deletedAt; bannedAt while a disabled account's ban stands) |
 * | second factor | USER#<id>          | FACTOR#<factorId>  | never once confirmed (pending: FACTOR_PENDING_TTL) |
 * | recovery codes  | USER#<id>          | RECOVERY           | never (a string set of unused code hashes) |
 * | passkey challenge | PASSKEY#<challengeId> | CHALLENGE     | PASSKEY_CHALLENGE_TTL (single use: consumed by a conditional delete) |
 * | federated identity | FEDID#<provider>#<sub> | IDENTITY      | never (userId; written only if free: one account per identity) |
 * | identity of user | USER#<id>        | FEDID#<provider>#<sub> | never (the copy that lists an account's identities) |
 * | provider of user | USER#<id>        | FEDPROVIDER#<provider> | never (written only if absent: one identity per provider and account) |
 * | relay mail state | RELAYMAIL#<sha256(email)> | STATE     | never (deleted with the account; state, stateAt, userId: Apple's private relay, read by the mail) |
 * | audit entry     | AUDIT#USER#<id>, AUDIT#ACTOR#<id>, AUDIT#ALL | <at>#<auditId> | AUDIT_RETENTION_DAYS |
 *
 * Everything that belongs to a user sits in the user's partition, so deleting
 * an account is one query and one transaction.
 * Device grants (RFC 8628) are keyed by their user code, the one thing both
 * the TV and /activate know; the device code is `<userCode>.<secret>`.
 */
export const TABLE_DESIGN = {
  partitionKey: 'pk',
  sortKey: 'sk',
  ttlAttribute: 'expiresAt',
} as const;

export const itemKeys = {
  credential: (email: string) => ({ pk: `EMAIL#${email}`, sk: 'CREDENTIAL' }),
  profile: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PROFILE' }),
  session: (userId: string, familyId: string) => ({ pk: `USER#${userId}`, sk: `SESSION#${familyId}` }),
  reset: (userId: string, tokenHash: string) => ({ pk: `USER#${userId}`, sk: `RESET#${tokenHash}` }),
  verification: (userId: string, tokenHash: string) => ({ pk: `USER#${userId}`, sk: `VERIFY#${tokenHash}` }),
  emailChange: (userId: string, tokenHash: string) => ({ pk: `USER#${userId}`, sk: `EMAILCHANGE#${tokenHash}` }),
  /** Teams left without members whose Auth0 clients must still be deleted: one partition, read by the scheduled clean-up. */
  cleanupPartition: 'CLEANUPS',
  teamCleanup: (teamId: string) => ({ pk: 'CLEANUPS', sk: `TEAM#${teamId}` }),
  /** What outlives a deleted account, keyed by the hash of its normalised address (not the address): the deletion, and a ban. */
  emailTombstone: (emailHash: string) => ({ pk: `TOMBSTONE#${emailHash}`, sk: 'EMAIL' }),
  throttle: (key: string) => ({ pk: `THROTTLE#${key}`, sk: 'COUNTER' }),
  /** One partner identity (Acronis login, external id, user id), held by at most one account: `userId` says which. */
  partnerClaim: (partner: string, kind: string, value: string) => ({ pk: `PARTNER#${partner}#${kind}#${value}`, sk: 'CLAIM' }),
  device: (userCode: string) => ({ pk: `DEVICE#${userCode}`, sk: 'DEVICE' }),
  /** A provider identity (core/federation): which account `(provider, sub)` belongs to; its copy under the user lists an account's identities. */
  federatedIdentity: (provider: string, sub: string) => ({ pk: `FEDID#${provider}#${sub}`, sk: 'IDENTITY' }),
  federatedIdentityOfUser: (userId: string, provider: string, sub: string) => ({ pk: `USER#${userId}`, sk: `FEDID#${provider}#${sub}` }),
  federatedProviderOfUser: (userId: string, provider: string) => ({ pk: `USER#${userId}`, sk: `FEDPROVIDER#${provider}` }),
  /** Apple's private relay state under the relay address's hash: the mail reads it with one GetItem (no Query on the account). */
  relayMailState: (addressHash: string) => ({ pk: `RELAYMAIL#${addressHash}`, sk: 'STATE' }),
  userPartition: (userId: string) => `USER#${userId}`,
  portalMembership: (userId: string) => ({ pk: `USER#${userId}`, sk: 'PORTAL' }),
  idempotency: (userId: string, keyHash: string) => ({ pk: `USER#${userId}`, sk: `IDEMPOTENCY#${keyHash}` }),
  /** All teams in one partition: the admin listing is one query, with no index (a portal has hundreds of teams, not millions). */
  teamRegistry: 'TEAMS',
  team: (teamId: string) => ({ pk: 'TEAMS', sk: `TEAM#${teamId}` }),
  teamPartition: (teamId: string) => `TEAM#${teamId}`,
  teamMember: (teamId: string, userId: string) => ({ pk: `TEAM#${teamId}`, sk: `MEMBER#${userId}` }),
  teamCredential: (teamId: string, clientId: string) => ({ pk: `TEAM#${teamId}`, sk: `CLIENT#${clientId}` }),
  /** A credential counted on its team while Auth0 makes it (lapses at `expiresAt` if the create never finishes). */
  credentialReservation: (teamId: string, operationId: string) => ({ pk: `TEAM#${teamId}`, sk: `RESERVATION#${operationId}` }),
  teamInvitation: (teamId: string, inviteId: string) => ({ pk: `TEAM#${teamId}`, sk: `INVITE#${inviteId}` }),
  adminInvitationPartition: 'PORTAL#ADMIN',
  adminInvitation: (inviteId: string) => ({ pk: 'PORTAL#ADMIN', sk: `INVITE#${inviteId}` }),
  /** An approved, not yet redeemed TV sign-in of the user: lets the console deny it without scanning the table. */
  devicePointer: (userId: string, userCode: string) => ({ pk: `USER#${userId}`, sk: `DEVICE#${userCode}` }),
  /** A second factor (docs/security.md): TOTP now, passkeys later, one item each. */
  factor: (userId: string, factorId: string) => ({ pk: `USER#${userId}`, sk: `FACTOR#${factorId}` }),
  recoveryCodes: (userId: string) => ({ pk: `USER#${userId}`, sk: 'RECOVERY' }),
  /** A WebAuthn challenge waiting for its one answer (docs/security.md, "Second factors and passkeys"). */
  passkeyChallenge: (challengeId: string) => ({ pk: `PASSKEY#${challengeId}`, sk: 'CHALLENGE' }),
  /** A web sign-in with Apple/Google: its `state` until the callback, then its hand-off until the page picks it up; a link ticket until the start (one use each). */
  webSignIn: (kind: 'state' | 'handoff' | 'link', key: string) => ({ pk: `WEBSIGNIN#${key}`, sk: kind.toUpperCase() }),
  /** The console's audit trail: each entry is written three times (by target, by actor, all), newest first by sort key. */
  auditByUser: (userId: string) => `AUDIT#USER#${userId}`,
  auditByActor: (actorId: string) => `AUDIT#ACTOR#${actorId}`,
  auditAll: 'AUDIT#ALL',
  auditSortKey: (at: string, auditId: string) => `${at}#${auditId}`,
};
