import fc from 'fast-check';
import { compilePath, ROUTES, type Route } from '../lambdas/routes';
import { type Harness, Part } from './harness';

const STACK_TRACE = /\n\s+at\s|\bat [\w.<>]+ \(|node_modules|\.ts:\d+|Error: /;

/** A concrete path for a route: path parameters filled with hostile but URL-safe text. */
const concretePath = (route: Route, filler: string) => route.path.replace(/\{\w+\}/g, encodeURIComponent(filler) || 'x');

const deep = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: deep(depth - 1) });

const hostileBody = fc.oneof(
  fc.json().map((text) => text),
  fc.anything().map((value) => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      return '{}';
    }
  }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('{', '[', '{"email":', 'null', '""', '1e309', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.stringify(deep(depth))),
  fc.integer({ min: 10_000, max: 40_000 }).map((size) => JSON.stringify({ email: 'a@b.co', password: 'p'.repeat(size) })),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((bytes) => Uint8Array.from([0xc3, 0x28, 0xff, 0xfe, ...bytes])),
  fc
    .record(
      {
        email: fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.array(fc.string())),
        password: fc.oneof(fc.string(), fc.boolean(), fc.object()),
        refresh_token: fc.oneof(fc.string(), fc.integer()),
        firstName: fc.anything(),
        token: fc.string(),
        client_id: fc.string(),
        grant_type: fc.constantFrom('refresh_token', 'urn:ietf:params:oauth:grant-type:device_code', 'password', ''),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
);

const hostileHeaders = fc
  .record(
    {
      'content-type': fc.constantFrom(
        'application/json',
        'text/plain',
        'x-www-form-urlencoded',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        'application/json; charset=latin1',
        '',
      ),
      authorization: fc.oneof(
        fc.constant('Bearer '),
        fc.string({ maxLength: 80 }).map((value) => `Bearer ${value}`),
        fc.constant('Basic Og=='),
        fc.string({ maxLength: 40 }),
      ),
      'idempotency-key': fc.string({ maxLength: 80 }),
      origin: fc.constantFrom('https://evil.example.com', 'null', 'http://localhost'),
    },
    { requiredKeys: [] },
  )
  .map((headers) => Object.fromEntries(Object.entries(headers).filter(([, value]) => /^[\t\x20-\x7e]*$/.test(value))) as Record<string, string>);

const probeArbitrary = fc.record({
  route: fc.constantFrom(...ROUTES),
  method: fc.oneof(fc.constant('ROUTE'), fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD')),
  filler: fc.string({ maxLength: 40 }),
  query: fc.oneof(
    fc.constant(''),
    fc.string({ maxLength: 60 }).map((value) => `?ctx=${encodeURIComponent(value)}&client_id=${encodeURIComponent(value)}`),
  ),
  body: fc.option(hostileBody, { nil: undefined }),
  headers: hostileHeaders,
});

/** Checks one answer: no 5xx, no stack trace, and the documented error shape for every error. */
export function judge(route: Route | undefined, method: string, status: number, contentType: string | null, text: string): string | undefined {
  if (status >= 500) return `status ${status}`;
  // Pages carry their own script (which may say "Error: "); internals can only leak through API answers.
  if (!contentType?.includes('text/html') && STACK_TRACE.test(text)) return 'a stack trace or internal path in the body';
  if (status < 400 || method === 'HEAD' || method === 'OPTIONS') return undefined;
  if (!contentType?.includes('json')) return `error with content type ${contentType}`;
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    return 'an error body that is not JSON';
  }
  const oauth = route?.path.startsWith('/oauth/') && method === route.method;
  if (oauth) return typeof body.error === 'string' && typeof body.error_description === 'string' ? undefined : 'an OAuth error without error/error_description';
  return typeof body.status === 'number' && typeof body.error === 'string' && typeof body.formError === 'string' && typeof body.fieldErrors === 'object'
    ? undefined
    : `an error body without the documented shape: ${text.slice(0, 120)}`;
}

/** Property-based fuzzing of every route in the table: never a 500, never a stack trace, always the error shape. */
export async function hostileInputPart(harness: Harness, runs: number): Promise<Part> {
  const part = new Part(`Hostile input: ${runs} fast-check requests over all ${ROUTES.length} routes`);
  const statuses = new Map<number, number>();
  const failures: string[] = [];
  await fc
    .assert(
      fc.asyncProperty(probeArbitrary, async (probe) => {
        const method = probe.method === 'ROUTE' ? probe.route.method : probe.method;
        const path = concretePath(probe.route, probe.filler) + probe.query;
        const hasBody = probe.body !== undefined && !['GET', 'HEAD'].includes(method);
        const response = await fetch(`${harness.stack.url}${path}`, {
          method,
          headers: probe.headers,
          body: hasBody ? (probe.body as string | Uint8Array) : undefined,
          signal: AbortSignal.timeout(20_000),
        });
        const text = await response.text();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const matched = ROUTES.find((route) => compilePath(route.path)(new URL(path, 'http://x').pathname));
        const problem = judge(matched, method, response.status, response.headers.get('content-type'), text);
        if (problem) failures.push(`${method} ${path.slice(0, 80)}: ${problem}`);
        return problem === undefined;
      }),
      { numRuns: runs, endOnFailure: true, seed: Number(process.env.RELIABILITY_SEED ?? Date.now() % 2 ** 31) },
    )
    .catch((error: unknown) => failures.push(`fast-check: ${String(error).split('\n').slice(0, 6).join(' ')}`));
  part.note(
    `answers by status: ${[...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, count]) => `${status}: ${count}`)
      .join(', ')}`,
  );
  part.check(
    failures.length === 0,
    `no 5xx, no stack trace, the documented error shape every time (${failures.length} counterexamples${failures.length ? `: ${failures.slice(0, 3).join(' | ')}` : ''})`,
  );
  return part;
}
