import { createServer, type Server } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, guarded } from '../../../lambdas/adapters/dynamo/client';
import { StoreUnavailableError } from '../../../lambdas/core/errors';

describe('createDocumentClient', () => {
  let blackHole: Server;
  let port: number;
  beforeAll(async () => {
    // Accepts connections and never answers: a DynamoDB that hangs.
    blackHole = createServer(() => undefined);
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', () => resolve()));
    port = (blackHole.address() as { port: number }).port;
  });
  afterAll(async () => {
    blackHole.close();
  });

  it('gives up on a DynamoDB that accepts but never answers, within its bounds, as StoreUnavailableError', async () => {
    const db = createDocumentClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', connectTimeoutMs: 200, requestTimeoutMs: 300 });
    const started = Date.now();

    const outcome = guarded(() => db.send(new GetCommand({ TableName: 't', Key: { pk: 'a', sk: 'b' } })));

    await expect(outcome).rejects.toBeInstanceOf(StoreUnavailableError);
    // Two attempts of 300 ms plus back-off; without throwOnRequestTimeout the SDK would wait forever.
    expect(Date.now() - started).toBeLessThan(3000);
    db.destroy();
  });
});
