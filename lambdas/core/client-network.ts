/**
 * The network a client address stands for, the key of every per-address
 * limit: the address itself for IPv4 (also when written IPv4-mapped,
 * `::ffff:203.0.113.7`), its /64 for IPv6, since one IPv6 subscriber gets a
 * whole /64 and could otherwise rotate through addresses to escape a limit.
 */
export function clientNetwork(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = ip.includes('::') && tail ? tail.split(':') : [];
  const groups = ip.includes('::') ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * The coarse network a session remembers of the address that started it: the
 * IPv4 /24 (`203.0.113.0/24`) or the IPv6 /48 (`2001:db8:1::/48`), a site or
 * an access network rather than a subscriber, never the full address (data
 * minimisation, docs/login-flow.md "My sessions and devices"). Undefined for
 * anything that is not an address.
 */
export function sessionNetwork(ip: string): string | undefined {
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/i.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (!/^[0-9a-f:]+$/i.test(ip) || !ip.includes(':')) return undefined;
  const wide = clientNetwork(ip);
  return `${wide.split(':').slice(0, 3).join(':')}::/48`;
}
