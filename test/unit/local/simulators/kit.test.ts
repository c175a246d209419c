import type { Server } from 'node:http';
import { CallCounter, close, FaultPlan, listen, sendJson } from '../../../../local/simulators/common';
import { answerFault, type FaultAnswers } from '../../../../local/simulators/kit/faults';
import { RateWindow, rateLimitHeaders } from '../../../../local/simulators/kit/rate-window';
import { RequestFailures } from '../../../../local/simulators/kit/request-failures';
import { matchPath, partnerServer } from '../../../../local/simulators/kit/server';
import { AccessTokens, jsonObject, sameSecret } from '../../../../local/simulators/kit/tokens';

const ANSWERS: FaultAnswers = { malformedBody: '{"half": ', errorBody: (kind, path) => ({ kind, path }) };

describe('the simulator kit server', () => {
  let server: Server;
  let url: string;
  let down = false;
  const counter = new CallCounter();
  const plan = new FaultPlan(() => '/work');
  const tokens = new AccessTokens<string>();

  beforeAll(async () => {
    server = partnerServer({
      partner: 'Example',
      landing: 'Speaks /work.',
      routes: [
        {
          method: 'POST',
          path: '/work',
          handle: async (_request, response) => {
            if (await answerFault(plan.take('/work'), response, '/work', ANSWERS)) return;
            sendJson(response, 200, { worked: true });
          },
        },
        {
          method: 'GET',
          path: '/whoami',
          handle: (request, response) => sendJson(response, tokens.holder(request) ? 200 : 401, { holder: tokens.holder(request) ?? null }),
        },
        { method: 'GET', path: '/teams/{team}/members/{member}', handle: (_request, response, _url, params) => sendJson(response, 200, params) },
        { path: '/items/', prefix: true, handle: (_request, response, parsed) => sendJson(response, 200, { item: parsed.pathname.slice('/items/'.length) }) },
        {
          path: '/broken',
          handle: () => {
            throw new Error('the simulator itself failed');
          },
        },
      ],
      control: [{ method: 'POST', path: '/__simulator/own', handle: (_request, response) => void response.writeHead(204).end() }],
      plan,
      counter,
      reset: () => {
        plan.clear();
        counter.reset();
      },
      countAs: (path) => (path.startsWith('/items/') ? '/items/' : path),
      intercept: (_request, response, path) => {
        if (path !== '/teams/closed/members/everyone') return false;
        sendJson(response, 423, { partner: 'intercepted' });
        return true;
      },
      notFound: (response) => sendJson(response, 404, { partner: 'unknown path' }),
      failed: (response) => sendJson(response, 500, { partner: 'failure' }),
      isDown: () => down,
    });
    url = await listen(server, 0, '127.0.0.1');
  });
  afterAll(() => close(server));
  beforeEach(async () => {
    await fetch(`${url}/__simulator/reset`, { method: 'POST' });
  });

  it('dispatches on method and path, counts calls per route and answers unknown paths and its own failures in the partner shape', async () => {
    const worked = await fetch(`${url}/work`, { method: 'POST' });
    const wrongMethod = await fetch(`${url}/work`);
    const item = await fetch(`${url}/items/abc`);
    await fetch(`${url}/items/def`);
    const broken = await fetch(`${url}/broken`);
    const landing = await fetch(`${url}/`);
    const calls = (await (await fetch(`${url}/__simulator/calls`)).json()) as Record<string, number>;

    expect(worked.status).toBe(200);
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toEqual({ partner: 'unknown path' });
    expect(await item.json()).toEqual({ item: 'abc' });
    expect(broken.status).toBe(500);
    expect(await broken.json()).toEqual({ partner: 'failure' });
    expect(await landing.text()).toContain('Example simulator');
    expect(calls).toEqual({ '/work': 2, '/items/': 2, '/broken': 1, '/': 1 });
  });

  it('hands a route the decoded values of its {name} segments, and lets the intercept answer before the route table', async () => {
    const member = await fetch(`${url}/teams/t%201/members/m-2`);
    const tooShort = await fetch(`${url}/teams/t1/members`);
    const tooLong = await fetch(`${url}/teams/t1/members/m-2/extra`);
    const emptySegment = await fetch(`${url}/teams//members/m-2`);
    const intercepted = await fetch(`${url}/teams/closed/members/everyone`);

    expect(await member.json()).toEqual({ team: 't 1', member: 'm-2' });
    expect([tooShort.status, tooLong.status, emptySegment.status]).toEqual([404, 404, 404]);
    expect(intercepted.status).toBe(423);
  });

  it('takes faults over the control endpoint and answers them with the partner error body, Retry-After on a rate limit', async () => {
    const added = await fetch(`${url}/__simulator/faults`, {
      method: 'POST',
      body: JSON.stringify([{ kind: 'rate-limit', retryAfterSeconds: 7 }, { kind: 'server-error', status: 503 }, { kind: 'malformed' }]),
    });
    const limited = await fetch(`${url}/work`, { method: 'POST' });
    const failing = await fetch(`${url}/work`, { method: 'POST' });
    const malformed = await fetch(`${url}/work`, { method: 'POST' });
    const healthy = await fetch(`${url}/work`, { method: 'POST' });
    const own = await fetch(`${url}/__simulator/own`, { method: 'POST' });
    const unknownControl = await fetch(`${url}/__simulator/nothing`);

    expect(added.status).toBe(204);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(await limited.json()).toEqual({ kind: 'rate-limit', path: '/work' });
    expect(failing.status).toBe(503);
    expect(await malformed.text()).toBe('{"half": ');
    expect(healthy.status).toBe(200);
    expect(own.status).toBe(204);
    expect(unknownControl.status).toBe(404);
  });

  it('knows the holder of a live Bearer token and forgets revoked ones, keeping the list of every token issued', async () => {
    const token = tokens.issue('token-1', 60, 'someone@example.com');
    const expired = tokens.issue('token-2', -1, 'late@example.com');
    const live = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });
    const late = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${expired}` } });
    tokens.revokeAll();
    const revoked = await fetch(`${url}/whoami`, { headers: { authorization: `Bearer ${token}` } });

    expect(await live.json()).toEqual({ holder: 'someone@example.com' });
    expect(late.status).toBe(401);
    expect(revoked.status).toBe(401);
    expect(tokens.issued()).toEqual(['token-1', 'token-2']);
  });

  it('drops every connection while the partner is down', async () => {
    down = true;
    const refused = await fetch(`${url}/work`, { method: 'POST' }).then(
      () => 'answered',
      () => 'dropped',
    );
    down = false;

    expect(refused).toBe('dropped');
  });
});

describe('the simulator kit helpers', () => {
  it('matches path patterns exactly or as a prefix, with {name} segments as parameters', () => {
    expect(matchPath('/clients/{id}', '/clients/abc')).toEqual({ id: 'abc' });
    expect(matchPath('/clients/{id}', '/clients/abc/rotate-secret')).toBeUndefined();
    expect(matchPath('/clients/{id}/', '/clients/abc/rotate-secret', true)).toEqual({ id: 'abc' });
    expect(matchPath('/clients/{id}', '/clients/%E0%A4%A')).toEqual({ id: '%E0%A4%A' });
    expect(matchPath('/ticket/', '/ticket/xyz', true)).toEqual({});
    expect(matchPath('/ticket/', '/tickets', true)).toBeUndefined();
  });

  it('queues request failures for the next matching requests by path prefix and method, oldest first', () => {
    const failures = new RequestFailures<{ path?: string; method?: string; status: number }>();
    failures.add(2, { path: '/api/v2/clients', method: 'POST', status: 503 });
    failures.add(1, { status: 500 });

    expect(failures.take('GET', '/api/v2/clients')).toEqual({ status: 500 });
    expect(failures.take('POST', '/api/v2/clients/abc')?.status).toBe(503);
    expect(failures.take('POST', '/api/v2/clients')?.status).toBe(503);
    expect(failures.take('POST', '/api/v2/clients')).toBeUndefined();
  });

  it('admits requests up to the budget of a window, then refuses until the next window', async () => {
    const window = new RateWindow(2, 50);
    const first = [window.admit(), window.admit(), window.admit()];
    const remaining = window.remaining();
    await new Promise((resolve) => setTimeout(resolve, 60));

    expect(first).toEqual([true, true, false]);
    expect(remaining).toBe(0);
    expect(window.admit()).toBe(true);
    const headers = rateLimitHeaders(2, 1, 5);
    expect(headers).toMatchObject({ 'x-ratelimit-limit': '2', 'x-ratelimit-remaining': '1' });
    expect(Number(headers['x-ratelimit-reset'])).toBeGreaterThanOrEqual(Math.floor(Date.now() / 1000) + 4);
  });

  it('reads only JSON objects as bodies', () => {
    expect(jsonObject('{"a":1}')).toEqual({ a: 1 });
    expect(jsonObject('null')).toBeUndefined();
    expect(jsonObject('[1]')).toBeUndefined();
    expect(jsonObject('{"a":')).toBeUndefined();
  });

  it('compares secrets of any length without throwing', () => {
    expect(sameSecret('secret', 'secret')).toBe(true);
    expect(sameSecret('secret', 'secreT')).toBe(false);
    expect(sameSecret('short', 'a longer secret')).toBe(false);
  });
});
