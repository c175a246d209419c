import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decodeJwt } from 'jose';
import { createDocumentClient } from '../lambdas/adapters/dynamo/client';
import { itemKeys } from '../lambdas/adapters/dynamo/table-design';
import { burst } from '../test/support/bursts';
import { type Harness, Part, request } from './harness';

/**
 * One Acronis user named by several accounts' records (mappings from before
 * claims existed), and a parallel burst of hand-offs from all of them: the
 * hand-off claims the identity with one conditional write before Acronis is
 * asked, so every successful hand-off belongs to one account, whichever wins
 * the race, and the claim names that account.
 */
export async function partnerClaimBurstPart(harness: Harness, size: number, accounts = 8): Promise<Part> {
  const part = new Part(`Partner identities: ${size} parallel Acronis hand-offs from ${accounts} accounts naming one Acronis user`);
  const url = harness.stack.url;
  const db = createDocumentClient({ endpoint: harness.stack.dynamoDbEndpoint, region: 'us-east-1' });
  const login = `shared.backup-admin.${Date.now()}`;
  const tokens: string[] = [];
  for (let index = 0; index < accounts; index += 1) {
    const email = `claims.${index}.${Date.now()}@example.com`;
    const registered = await request(url, 'POST', '/login-flow/register', {
      firstName: 'Cla',
      lastName: 'Im',
      email,
      password: 'reliability claims passphrase',
      approveTermsOfUse: 'on',
    });
    await harness.markVerified(email);
    const token = registered.json.access_token as string;
    // The record names the Acronis user without a claim item, as records written before claims did.
    await db.send(
      new UpdateCommand({
        TableName: harness.stack.tableName,
        Key: itemKeys.profile(String(decodeJwt(token).sub)),
        UpdateExpression: 'SET attributes = :attributes',
        ExpressionAttributeValues: { ':attributes': { acronis: { login } } },
      }),
    );
    tokens.push(token);
  }

  const started = Date.now();
  const responses = await burst(size, (index) =>
    request(url, 'POST', '/sso/acronis', {}, { authorization: `Bearer ${tokens[index % accounts]}` }).then((response) => ({ ...response, index })),
  );
  const succeeded = responses.filter((response) => response.status === 200);
  const winners = new Set(succeeded.map((response) => String(decodeJwt(tokens[response.index % accounts]).sub)));
  const refused = responses.filter((response) => response.status === 403).length;
  const unavailable = responses.filter((response) => response.status === 503 || response.status === 504).length;
  part.note(
    `${size} hand-offs: ${succeeded.length} reached Acronis (from ${winners.size} account), ${refused} refused, ${unavailable} 503/504, in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  part.check(winners.size <= 1, 'every hand-off that reached Acronis came from one account');
  part.check(
    succeeded.length + refused + unavailable === size,
    'every other hand-off answered 403 (or 503/504 when a store or the partner timed out), never 500',
  );
  const claim = (await harness.scanTable()).find((item) => item.pk === itemKeys.partnerClaim('acronis', 'login', login).pk);
  part.check(winners.size === 0 ? true : claim?.userId === [...winners][0], 'the claim names the account whose hand-offs succeeded');
  return part;
}
