import { cidrRange, cidrSubnet, cidrsOverlap, parseCidr } from '../../../constructs/core/cidr';

describe('IPv4 CIDR helpers', () => {
  test.each(['10.0.0.0/16', '0.0.0.0/0', '192.168.1.128/25', '255.255.255.255/32'])('parses %s', (cidr) => {
    expect(parseCidr(cidr)).toBeDefined();
  });

  test.each(['10.0.0.0/33', '10.0.0.256/24', '10.0.0.1/16', '10.0.0/16', 'ten/8', '10.0.0.0'])('rejects %s', (cidr) => {
    expect(parseCidr(cidr)).toBeUndefined();
  });

  test('detects overlap in both directions and none between neighbours', () => {
    const a = parseCidr('10.10.0.0/16')!;
    expect(cidrsOverlap(a, parseCidr('10.10.128.0/17')!)).toBe(true);
    expect(cidrsOverlap(parseCidr('10.0.0.0/8')!, a)).toBe(true);
    expect(cidrsOverlap(a, parseCidr('10.11.0.0/16')!)).toBe(false);
  });

  test('carves subnets like Terraform cidrsubnet', () => {
    expect(cidrSubnet('10.30.0.0/16', 3, 2)).toBe('10.30.64.0/19');
    expect(cidrSubnet('10.30.0.0/16', 6, 25)).toBe('10.30.100.0/22');
    expect(() => cidrSubnet('10.30.0.0/16', 3, 8)).toThrow('does not fit');
  });
});

describe('canonical CIDRs and their address space', () => {
  test.each(['010.010.000.000/16', '10.0.0.0/016', ' 10.0.0.0/16', '10.0.0.0/16 ', '1.2.3.4.5/16'])('rejects the non-canonical %s', (cidr) => {
    expect(parseCidr(cidr)).toBeUndefined();
  });

  test.each([
    ['10.10.0.0/16', 'private'],
    ['100.64.0.0/10', 'carrierGradeNat'],
    ['203.0.113.0/24', 'documentation'],
    ['8.8.8.0/24', 'unicast'],
    ['224.0.0.0/16', 'multicast'],
    ['169.254.0.0/16', 'linkLocal'],
    ['127.0.0.0/16', 'loopback'],
    ['0.0.0.0/16', 'unspecified'],
    ['0.0.0.0/0', 'internet'],
    ['172.0.0.0/8', 'mixed'],
    ['10.0.0.0/7', 'mixed'],
  ])('%s is %s', (cidr, range) => {
    expect(cidrRange(parseCidr(cidr)!)).toBe(range);
  });
});
