import { ForbiddenError } from '../../../../lambdas/core/errors';
import type { UserProfile } from '../../../../lambdas/core/ports';
import { type AcronisHandoffSettings, acronisIdentity } from '../../../../lambdas/core/sso/acronis';
import { astratoRequest } from '../../../../lambdas/core/sso/astrato';

const profile = (attributes?: Record<string, unknown>): UserProfile => ({
  id: 'user-1',
  email: 'ada@example.com',
  firstName: 'Ada',
  lastName: 'Lovelace',
  approveMarketing: false,
  createdAt: '2030-01-01T00:00:00Z',
  ...(attributes ? { attributes } : {}),
});

describe('astratoRequest', () => {
  it('uses the default groups unless the user record names its own', () => {
    expect(astratoRequest(profile(), { defaultGroupIds: ['g1', 'g2'] })).toEqual({ email: 'ada@example.com', groupIds: ['g1', 'g2'] });
    expect(astratoRequest(profile({ astratoGroupIds: ['vip'] }), { defaultGroupIds: ['g1'] }).groupIds).toEqual(['vip']);
    expect(astratoRequest(profile({ astratoGroupIds: [] }), { defaultGroupIds: ['g1'] }).groupIds).toEqual([]);
  });

  it('sends no groupIds at all when neither defaults nor the user name groups, so Astrato keeps the groups it has', () => {
    expect(astratoRequest(profile(), { defaultGroupIds: [] })).toEqual({ email: 'ada@example.com' });
    expect(astratoRequest(profile({ astratoGroupIds: ['vip'] }), { defaultGroupIds: [] })).toEqual({ email: 'ada@example.com', groupIds: ['vip'] });
  });

  it('ignores malformed overrides and passes row-level filters and applyPendingInvites through', () => {
    const request = astratoRequest(profile({ astratoGroupIds: 'vip', astratoFilterParameters: { '[orders].[string]': 'acme' } }), {
      defaultGroupIds: ['g1'],
      applyPendingInvites: true,
    });
    expect(request).toEqual({ email: 'ada@example.com', groupIds: ['g1'], applyPendingInvites: true, filterParameters: { '[orders].[string]': 'acme' } });
  });

  it("reads the operator console's attributes.astrato (groups, filters) first, so a restriction set there cannot fail open", () => {
    const console = { astrato: { groups: ['finance'], filters: { '[orders].[region]': 'emea' } }, astratoGroupIds: ['everyone'], astratoFilterParameters: {} };
    expect(astratoRequest(profile(console), { defaultGroupIds: ['g1'] })).toEqual({
      email: 'ada@example.com',
      groupIds: ['finance'],
      filterParameters: { '[orders].[region]': 'emea' },
    });
    expect(astratoRequest(profile({ astrato: { groups: [], filters: {} } }), { defaultGroupIds: ['g1'] })).toEqual({
      email: 'ada@example.com',
      groupIds: [],
      filterParameters: {},
    });
  });
});

describe('acronisIdentity', () => {
  const settings: AcronisHandoffSettings = {
    identifyBy: 'login',
    loginField: 'email',
    externalIdField: 'attributes.acronisExternalId',
    userIdField: 'attributes.acronisUserId',
    targetAllowList: '{dc}/mc/',
    urlStyle: 'fragment',
  };

  it('sends exactly one of login or external_id, from the configured field', () => {
    expect(acronisIdentity(profile(), settings)).toEqual({ login: 'ada@example.com' });
    expect(acronisIdentity(profile({ acronisLogin: 'ada.l' }), { ...settings, loginField: 'attributes.acronisLogin' })).toEqual({ login: 'ada.l' });
    expect(acronisIdentity(profile({ acronisExternalId: 'ext-9' }), { ...settings, identifyBy: 'external_id' })).toEqual({ external_id: 'ext-9' });
    expect(acronisIdentity(profile(), { ...settings, identifyBy: 'external_id', externalIdField: 'id' })).toEqual({ external_id: 'user-1' });
  });

  it('refuses a user whose record lacks the configured field', () => {
    expect(() => acronisIdentity(profile(), { ...settings, loginField: 'attributes.acronisLogin' })).toThrow(ForbiddenError);
  });

  it("sends user_id, the Acronis user's UUID, when the platform maps users by id, and refuses anything that is not a UUID", () => {
    const uuid = '3F0C7A52-1C1E-4A8E-9D2B-2F5E0B7C9A10';
    expect(acronisIdentity(profile({ acronisUserId: uuid }), { ...settings, identifyBy: 'user_id' })).toEqual({ user_id: uuid.toLowerCase() });
    expect(() => acronisIdentity(profile({ acronisUserId: 'ada' }), { ...settings, identifyBy: 'user_id' })).toThrow(ForbiddenError);
    expect(() => acronisIdentity(profile(), { ...settings, identifyBy: 'user_id' })).toThrow(ForbiddenError);
  });

  it("prefers the user's own partner identity (attributes.acronis) of the configured kind over the field settings", () => {
    const own = { acronis: { login: 'ada.acronis', externalId: 'ext-1', userId: '3f0c7a52-1c1e-4a8e-9d2b-2f5e0b7c9a10' } };
    expect(acronisIdentity(profile(own), settings)).toEqual({ login: 'ada.acronis' });
    expect(acronisIdentity(profile(own), { ...settings, identifyBy: 'external_id' })).toEqual({ external_id: 'ext-1' });
    expect(acronisIdentity(profile(own), { ...settings, identifyBy: 'user_id' })).toEqual({ user_id: own.acronis.userId });
    expect(acronisIdentity(profile({ acronis: 'garbage' }), settings)).toEqual({ login: 'ada@example.com' });
  });
});
