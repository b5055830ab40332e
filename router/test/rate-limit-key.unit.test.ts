import { describe, expect, it } from 'vitest';
import { addressBucketOf } from '../src/rate-limit/client-ip.ts';
import { callerKeyOf } from '../src/rate-limit/limiter.ts';

describe('rate-limit key of an address', () => {
  it('keeps an IPv4 address whole', () => {
    expect(addressBucketOf('203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucketOf('203.0.113.8')).toBe('203.0.113.8');
    expect(addressBucketOf('127.0.0.1')).toBe('127.0.0.1');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address, in either notation', () => {
    expect(addressBucketOf('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucketOf('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(addressBucketOf('::ffff:cb00:7107')).toBe('203.0.113.7');
    expect(addressBucketOf('0:0:0:0:0:ffff:cb00:7107')).toBe('203.0.113.7');
    expect(addressBucketOf('[::ffff:203.0.113.7]')).toBe('203.0.113.7');
  });

  it('groups IPv6 addresses by /64, whatever their notation', () => {
    const bucket = '2001:db8:1:2::/64';
    for (const address of ['2001:db8:1:2::1', '2001:db8:1:2:ffff:ffff:ffff:ffff', '2001:0DB8:0001:0002:0:0:0:0', '2001:db8:1:2:a:b:c:d', '[2001:db8:1:2::9]', '2001:db8:1:2::1%eth0', '2001:db8:1:2::1.2.3.4']) {
      expect(addressBucketOf(address), address).toBe(bucket);
    }
    expect(addressBucketOf('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(addressBucketOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(addressBucketOf('::1')).toBe('0:0:0:0::/64');
    expect(addressBucketOf('::')).toBe('0:0:0:0::/64');
    // An IPv4-compatible (not mapped) address is IPv6.
    expect(addressBucketOf('::203.0.113.7')).toBe('0:0:0:0::/64');
    expect(addressBucketOf('fe80::1')).toBe('fe80:0:0:0::/64');
  });

  it('keeps anything that is not an address as written, cut short', () => {
    expect(addressBucketOf('unknown')).toBe('unknown');
    expect(addressBucketOf('2001:db8::1::2')).toBe('2001:db8::1::2');
    expect(addressBucketOf('999.1.1.1')).toBe('999.1.1.1');
    expect(addressBucketOf('x'.repeat(500))).toBe('x'.repeat(64));
  });

  it('names the budget: the token subject with user-or-ip, else the address bucket', () => {
    const ada = { sub: 'u1', role: 'CUSTOMER' as const, scopes: [] };
    expect(callerKeyOf('user-or-ip', ada, '2001:db8:1:2::1')).toBe('user:u1');
    expect(callerKeyOf('user-or-ip', null, '2001:db8:1:2::1')).toBe('ip:2001:db8:1:2::/64');
    expect(callerKeyOf('ip', ada, '::ffff:198.51.100.4')).toBe('ip:198.51.100.4');
    // Two addresses of one /64 share a budget; two /64s do not.
    expect(callerKeyOf('ip', null, '2001:db8:1:2::a')).toBe(callerKeyOf('ip', null, '2001:db8:1:2:dead:beef::1'));
    expect(callerKeyOf('ip', null, '2001:db8:1:2::a')).not.toBe(callerKeyOf('ip', null, '2001:db8:1:3::a'));
  });
});
