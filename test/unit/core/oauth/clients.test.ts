import { ClientRegistry } from '../../../../lambdas/core/oauth/clients';

describe('ClientRegistry.parse', () => {
  it('reads ids with optional display names', () => {
    const registry = ClientRegistry.parse(' applicaster-tv=Acme TV , roku ,');

    expect(registry.ids()).toEqual(['applicaster-tv', 'roku']);
    expect(registry.find('applicaster-tv')).toEqual({ clientId: 'applicaster-tv', name: 'Acme TV' });
    expect(registry.find('roku')).toEqual({ clientId: 'roku', name: 'your TV app' });
  });

  it('knows nothing else, whatever the case', () => {
    const registry = ClientRegistry.parse('applicaster-tv');

    expect(registry.find('Applicaster-TV')).toBeUndefined();
    expect(registry.find(undefined)).toBeUndefined();
    expect(registry.find('')).toBeUndefined();
  });
});
