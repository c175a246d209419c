import { partnerIdentitiesBody } from '../../../../lambdas/http/schemas/partners';

describe('partnerIdentitiesBody', () => {
  it('accepts an Acronis identity of any kind and Astrato groups, lower-cases the UUID and drops unknown fields', () => {
    const parsed = partnerIdentitiesBody.parse({
      acronis: { login: ' ada.backup ', externalId: 'ext-1', userId: '3F0C7A52-1C1E-4A8E-9D2B-2F5E0B7C9A10', role: 'admin' },
      astrato: { groupIds: ['finance'] },
      other: true,
    });

    expect(parsed).toEqual({
      acronis: { login: 'ada.backup', externalId: 'ext-1', userId: '3f0c7a52-1c1e-4a8e-9d2b-2f5e0b7c9a10' },
      astrato: { groupIds: ['finance'] },
    });
  });

  it('takes null as "remove" and an absent key as "leave alone"', () => {
    expect(partnerIdentitiesBody.parse({ acronis: null })).toEqual({ acronis: null });
    expect(partnerIdentitiesBody.parse({})).toEqual({});
  });

  it.each([
    ['a user id that is not a UUID', { acronis: { userId: 'ada' } }, ['acronis', 'userId']],
    ['an empty login', { acronis: { login: '  ' } }, ['acronis', 'login']],
    ['a group id that is not a string', { astrato: { groupIds: [7] } }, ['astrato', 'groupIds', 0]],
    ['too many groups', { astrato: { groupIds: Array.from({ length: 101 }, (_, index) => `g${index}`) } }, ['astrato', 'groupIds']],
  ])('refuses %s, naming the field', (_name, body, path) => {
    const result = partnerIdentitiesBody.safeParse(body);

    expect(result.success).toBe(false);
    expect(result.error?.issues[0].path).toEqual(path);
  });
});
