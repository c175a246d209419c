/**
 * The raw-HTTP floor: what DynamoDB Local itself can do for one "refresh"
 * when nothing but plain keep-alive HTTP sits in between: a consistent
 * GetItem then a PutItem of a session-sized item, as hand-written JSON over
 * node:http, no SDK, no signing (DynamoDB Local does not check signatures).
 * The refresh figure over this one is what our whole stack (HTTP server,
 * middy, zod, jose, the SDK) costs on top of the database.
 */
import { Agent, request } from 'node:http';
import { closedLoop, type RateFloor } from './floors';

const body = (value: unknown) => Buffer.from(JSON.stringify(value));

export async function rawHttpFloor(endpoint: string, tableName: string, concurrency: number, durationMs: number): Promise<RateFloor> {
  const url = new URL(endpoint);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const headers = (target: string, length: number) => ({
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `DynamoDB_20120810.${target}`,
    'content-length': String(length),
    // The access key and region name DynamoDB Local's database, as the SDK's would.
    authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
  });
  const call = (target: string, payload: Buffer) =>
    new Promise<void>((resolve, reject) => {
      const outgoing = request({ host: url.hostname, port: url.port, method: 'POST', path: '/', agent, headers: headers(target, payload.length) }, (answer) => {
        answer.resume();
        answer.on('end', () => (answer.statusCode === 200 ? resolve() : reject(new Error(`raw floor: ${target} answered ${answer.statusCode}`))));
      });
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
  const hash = 'x'.repeat(43);
  let sequence = 0;
  try {
    return await closedLoop(concurrency, durationMs, async (worker) => {
      const key = { pk: { S: `RAWFLOOR#${worker}` }, sk: { S: `SESSION#${sequence++ % 8}` } };
      const now = String(Math.floor(Date.now() / 1000));
      await call('GetItem', body({ TableName: tableName, Key: key, ConsistentRead: true }));
      await call(
        'PutItem',
        body({
          TableName: tableName,
          Item: {
            ...key,
            type: { S: 'session' },
            currentHash: { S: hash },
            previousHash: { S: hash },
            lastUsedAt: { N: now },
            rotatedAt: { N: now },
            absoluteExpiresAt: { N: now },
            expiresAt: { N: now },
          },
        }),
      );
    });
  } finally {
    agent.destroy();
  }
}
