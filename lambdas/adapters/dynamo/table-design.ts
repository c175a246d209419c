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
 * | throttle count  | THROTTLE#<key>     | COUNTER            | end of window / streak memory  |
 *
 * Everything that belongs to a user sits in the user's partition, so deleting
 * an account is one query and one transaction.
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
  throttle: (key: string) => ({ pk: `THROTTLE#${key}`, sk: 'COUNTER' }),
  userPartition: (userId: string) => `USER#${userId}`,
};
