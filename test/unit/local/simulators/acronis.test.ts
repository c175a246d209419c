import { ACRONIS_PATHS, type AcronisSimulator, startAcronisSimulator } from '../../../../local/simulators/acronis';

describe('the Acronis simulator token endpoint', () => {
  let acronis: AcronisSimulator;
  beforeAll(async () => {
    acronis = await startAcronisSimulator();
  });
  afterAll(() => acronis.stop());

  const token = async () => {
    const response = await fetch(`${acronis.url}${ACRONIS_PATHS.token}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${acronis.clientId}:${acronis.clientSecret}`).toString('base64')}`,
      },
      body: 'grant_type=client_credentials',
    });
    return (await response.json()) as Record<string, unknown>;
  };
  const claims = (jwt: unknown) => JSON.parse(Buffer.from(String(jwt).split('.')[1], 'base64url').toString('utf8')) as { exp: number };

  it('answers the documented minimal {id_token, access_token} by default, the lifetime only in the JWT exp', async () => {
    const answer = await token();

    expect(Object.keys(answer).sort()).toEqual(['access_token', 'id_token']);
    expect(claims(answer.access_token).exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(7000);
  });

  it('answers with expires_in, expires_on or an opaque token on request, from code or over HTTP', async () => {
    acronis.answerTokensAs('expires_in');
    const withExpiresIn = await token();
    const switched = await fetch(`${acronis.url}/__simulator/token-shape`, { method: 'POST', body: JSON.stringify({ shape: 'expires_on' }) });
    const withExpiresOn = await token();
    acronis.answerTokensAs('opaque');
    const opaque = await token();
    const refused = await fetch(`${acronis.url}/__simulator/token-shape`, { method: 'POST', body: JSON.stringify({ shape: 'sometimes' }) });

    expect(withExpiresIn).toEqual({ id_token: expect.any(String), access_token: expect.any(String), token_type: 'bearer', expires_in: 7200 });
    expect(switched.status).toBe(204);
    expect(withExpiresOn).toEqual({ id_token: expect.any(String), access_token: expect.any(String), token_type: 'bearer', expires_on: expect.any(Number) });
    expect(String(opaque.access_token).split('.')).toHaveLength(1);
    expect(refused.status).toBe(400);
  });
});
