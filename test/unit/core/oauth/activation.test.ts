import { activationThrottleKey, clientNetwork } from '../../../../lambdas/core/oauth/activation';

describe('clientNetwork', () => {
  it('keeps an IPv4 address as it is', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
  });

  it.each([
    ['2001:db8:85a3:1234:8a2e:370:7334:1', '2001:db8:85a3:1234::/64'],
    ['2001:0db8:85a3:1234:0000:0000:0000:0002', '2001:db8:85a3:1234::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['2001:DB8:0:0:ffff::', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
  ])('counts IPv6 %s as its /64 %s', (ip, network) => {
    expect(clientNetwork(ip)).toBe(network);
  });

  it('puts every address of one IPv6 /64 under one wrong-code counter', () => {
    expect(activationThrottleKey('2001:db8:1:2::aaaa', 7)).toBe(activationThrottleKey('2001:db8:1:2:ffff:ffff:ffff:ffff', 7));
    expect(activationThrottleKey('2001:db8:1:2::aaaa', 7)).not.toBe(activationThrottleKey('2001:db8:1:3::aaaa', 7));
  });
});
