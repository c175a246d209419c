import { exportLine, parseImportLine } from '../../../lambdas/core/user-import';

const now = '2026-01-01T00:00:00.000Z';
const parse = (line: unknown) => parseImportLine(typeof line === 'string' ? line : JSON.stringify(line), { now });

describe('parseImportLine', () => {
  it('normalises the email and keeps the profile, consents, identities and the old id', () => {
    const parsed = parse({
      email: ' Ann@Example.COM ',
      firstName: 'Ann',
      approveMarketing: true,
      termsAcceptedAt: '2020-05-01T10:00:00Z',
      emailVerified: true,
      externalId: 'cleeng-1',
      identities: [{ provider: 'google', userId: '123' }],
      attributes: { plan: 'gold' },
      password: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
      somethingElse: 'ignored',
    });
    expect(parsed).toEqual({
      ok: true,
      account: {
        email: 'ann@example.com',
        passwordHash: '$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a',
        profile: {
          email: 'ann@example.com',
          firstName: 'Ann',
          lastName: '',
          approveMarketing: true,
          termsAcceptedAt: '2020-05-01T10:00:00Z',
          createdAt: now,
          emailVerifiedAt: now,
          externalId: 'cleeng-1',
          identities: [{ provider: 'google', userId: '123' }],
          attributes: { plan: 'gold' },
        },
      },
    });
  });

  it("takes the old system's verification as ours: emailVerified true sets emailVerifiedAt, false or absent leaves the address unverified", () => {
    expect(parse({ email: 'a@b.co', emailVerified: true, emailVerifiedAt: '2021-02-03T04:05:06Z' })).toMatchObject({
      ok: true,
      account: { profile: { emailVerifiedAt: '2021-02-03T04:05:06Z' } },
    });
    expect(parse({ email: 'a@b.co', emailVerified: false, emailVerifiedAt: '2021-02-03T04:05:06Z' })).toMatchObject({
      ok: true,
      account: { profile: expect.not.objectContaining({ emailVerifiedAt: expect.anything() }) },
    });
    expect(parse({ email: 'a@b.co' })).toMatchObject({ ok: true, account: { profile: expect.not.objectContaining({ emailVerifiedAt: expect.anything() }) } });
  });

  it('gives a reason for every bad line instead of throwing', () => {
    expect(parse('{')).toEqual({ ok: false, reason: 'not valid JSON' });
    expect(parse({ firstName: 'x' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^email/) });
    expect(parse({ email: 'not an email' })).toMatchObject({ ok: false, reason: 'email: not an email address' });
    expect(parse({ email: 'a@b.co', password: 'plain text password' })).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown hash format/) });
    expect(parse({ email: 'a@b.co', password: { algorithm: 'firebase-scrypt', hash: 'aGFzaA==', salt: 'c2FsdA==' } })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/project parameters/),
    });
    expect(parse({ email: 'a@b.co', termsAcceptedAt: 'yesterday' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^termsAcceptedAt/) });
    expect(parse('[1,2]')).toMatchObject({ ok: false });
  });

  it('reads its own export back', () => {
    const line = exportLine(
      { id: 'u1', email: 'a@b.co', firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: now },
      '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG',
    );
    expect(parse(line)).toMatchObject({
      ok: true,
      account: { email: 'a@b.co', passwordHash: expect.stringMatching(/^\$argon2id/), profile: { firstName: 'A', createdAt: now } },
    });
  });

  it('keeps the disabled mark through an export and its import, so a round trip enables no one', () => {
    const disabledAt = '2026-01-02T03:04:05.000Z';
    const line = exportLine({ id: 'u1', email: 'a@b.co', firstName: 'A', lastName: 'B', approveMarketing: false, createdAt: now, disabledAt }, undefined);

    expect(JSON.parse(line)).toMatchObject({ disabledAt });
    expect(parse(line)).toMatchObject({ ok: true, account: { profile: { disabledAt } } });
  });

  it('refuses a disabled mark that is not a time', () => {
    expect(parse({ email: 'a@b.co', disabledAt: 'yes' })).toMatchObject({ ok: false, reason: expect.stringMatching(/^disabledAt/) });
  });

  it('refuses a line whose hash would take longer than the verification budget, saying so', () => {
    expect(parse({ email: 'a@b.co', password: '$2b$14$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a' })).toEqual({
      ok: false,
      reason: 'password: too slow to verify: about 3200 ms per sign-in, over the 1000 ms budget (docs/migration.md)',
    });
  });
});
