import { clientNetwork } from '../../../lambdas/core/client-network';
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
