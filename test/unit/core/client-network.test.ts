import { clientNetwork, sessionNetwork } from '../../../lambdas/core/client-network';
import { activationThrottleKey } from '../../../lambdas/core/oauth/activation';
import { throttleKeys } from '../../../lambdas/core/throttle';

describe('clientNetwork, the key of every per-address limit', () => {
  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('gives sign-in and /activate the same /64 for two addresses of one IPv6 subscriber', () => {
    const [first, second] = ['2001:db8:1:2::1', '2001:db8:1:2:ffff:eeee:dddd:cccc'];

    expect(throttleKeys.loginIp(first, 7)).toBe(throttleKeys.loginIp(second, 7));
    expect(throttleKeys.loginIp(first, 7)).toBe('login#ip#2001:db8:1:2::/64#7');
    expect(activationThrottleKey(first, 7)).toBe(activationThrottleKey(second, 7));
  });
});

describe('sessionNetwork, what a session remembers of its address', () => {
  it('keeps the /24 of an IPv4 address, also when written IPv4-mapped, never the address', () => {
    expect(sessionNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(sessionNetwork('::ffff:198.51.100.9')).toBe('198.51.100.0/24');
  });

  it('keeps the /48 of an IPv6 address, written out or shortened', () => {
    expect(sessionNetwork('2001:db8:1:2:3::9')).toBe('2001:db8:1::/48');
    expect(sessionNetwork('2001:db8::1')).toBe('2001:db8:0::/48');
  });

  it('keeps nothing of what is not an address', () => {
    expect(sessionNetwork('unknown')).toBeUndefined();
  });
});
