/**
 * A tiny HTTP proxy in front of DynamoDB (Local) that counts what each
 * operation costs: requests by X-Amz-Target and the capacity units DynamoDB
 * reports. It asks for them itself (adds `ReturnConsumedCapacity: TOTAL` to
 * every request that takes it; DynamoDB Local does not check signatures), so
 * the code under test runs unchanged.
 *
 * Corrections, so the figures are what DynamoDB bills rather than what
 * DynamoDB Local prints:
 * - TransactWriteItems: Local reports one unit per item, DynamoDB bills two
 *   (prepare and commit), ConditionCheck items included: doubled here.
 * - A write refused by its condition reports no capacity, yet DynamoDB bills
 *   it as a write (one unit for an item under 1 KB): counted as 1.
 * - Local reports less than the minimum DynamoDB bills for reads of absent
 *   items and for transactions; each request counts at least its minimum:
 *   one read unit per key read consistently (half eventually), one write
 *   unit per written item, two per item of a transaction.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems']);

export interface MeterReading {
  requests: number;
  byOperation: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Writes refused by their condition (each counted as one write unit). */
  refusedWrites: number;
}

export interface DynamoMeter {
  endpoint: string;
  reset(): void;
  read(): MeterReading;
  close(): Promise<void>;
}

const empty = (): MeterReading => ({ requests: 0, byOperation: {}, readUnits: 0, writeUnits: 0, refusedWrites: 0 });

/** The least DynamoDB bills for a request, from its items (each assumed under 1 KB to write, 4 KB to read). */
function minimumUnits(operation: string, request: Record<string, unknown>): number {
  const perRead = (consistent: unknown) => (consistent ? 1 : 0.5);
  switch (operation) {
    case 'GetItem':
      return perRead(request.ConsistentRead);
    case 'BatchGetItem':
      return Object.values((request.RequestItems ?? {}) as Record<string, { Keys?: unknown[]; ConsistentRead?: boolean }>).reduce(
        (sum, table) => sum + (table.Keys?.length ?? 0) * perRead(table.ConsistentRead),
        0,
      );
    case 'TransactGetItems':
      return 2 * ((request.TransactItems as unknown[] | undefined)?.length ?? 0);
    case 'PutItem':
    case 'UpdateItem':
    case 'DeleteItem':
      return 1;
    case 'BatchWriteItem':
      return Object.values((request.RequestItems ?? {}) as Record<string, unknown[]>).reduce((sum, requests) => sum + requests.length, 0);
    case 'TransactWriteItems':
      return 2 * ((request.TransactItems as unknown[] | undefined)?.length ?? 0);
    default:
      return 0;
  }
}

function unitsOf(body: Record<string, unknown>): number {
  const consumed = body.ConsumedCapacity as { CapacityUnits?: number } | { CapacityUnits?: number }[] | undefined;
  if (!consumed) return 0;
  return (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

const collect = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

export async function startDynamoMeter(upstream: string): Promise<DynamoMeter> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  let reading = empty();
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const operation = String(incoming.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      let body = await collect(incoming);
      let minimum = 0;
      if (READS.has(operation) || WRITES.has(operation)) {
        const parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
        minimum = minimumUnits(operation, parsed);
        parsed.ReturnConsumedCapacity ??= 'TOTAL';
        body = Buffer.from(JSON.stringify(parsed));
      }
      const headers = { ...incoming.headers, host: target.host, 'content-length': String(body.length) };
      const answer = await new Promise<IncomingMessage>((resolve, reject) => {
        const forwarded = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers, agent }, resolve);
        forwarded.on('error', reject);
        forwarded.end(body);
      });
      const answerBody = await collect(answer);
      reading.requests += 1;
      reading.byOperation[operation] = (reading.byOperation[operation] ?? 0) + 1;
      try {
        const parsed = JSON.parse(answerBody.toString('utf8')) as Record<string, unknown>;
        if (answer.statusCode === 200) {
          const units = Math.max(minimum, unitsOf(parsed) * (operation === 'TransactWriteItems' ? 2 : 1));
          if (READS.has(operation)) reading.readUnits += units;
          else reading.writeUnits += units;
        } else if (WRITES.has(operation) && String(parsed.__type ?? '').includes('ConditionalCheckFailed')) {
          reading.refusedWrites += 1;
          reading.writeUnits += 1;
        }
      } catch {
        // Not JSON (CreateTable answers are, but nothing else matters here).
      }
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      outgoing.end(answerBody);
    } catch (error) {
      outgoing.writeHead(502).end(String(error));
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reset: () => {
      reading = empty();
    },
    read: () => structuredClone(reading),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      agent.destroy();
    },
  };
}
