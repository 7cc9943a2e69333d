/** IPv4 CIDR arithmetic: parsing, overlap checks and Terraform-style `cidrsubnet` carving. */

import { IPv4, subnetMatch } from 'ipaddr.js';

/** A parsed IPv4 CIDR block: the network address as an unsigned 32-bit number and the prefix. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

/**
 * Parses `a.b.c.d/n` in its canonical form only (ipaddr.js): four decimal octets of 0-255 without
 * leading zeros (`010.0.0.0` is octal to some parsers, decimal to others), a prefix of 0-32 without
 * leading zeros, and no host bits set (`10.0.0.1/16`), which AWS rejects. Undefined otherwise.
 */
export function parseCidr(cidr: string): Ipv4Block | undefined {
  if (typeof cidr !== 'string' || !IPv4.isValidCIDRFourPartDecimal(cidr)) return undefined;
  const [address, prefix] = IPv4.parseCIDR(cidr);
  if (`${address.toString()}/${prefix}` !== cidr || IPv4.networkAddressFromCIDR(cidr).toString() !== address.toString()) return undefined;
  return { network: address.octets.reduce((acc, octet) => acc * 256 + octet, 0), prefix };
}

/** The documentation ranges of RFC 5737 (TEST-NET-1 to 3), which ipaddr.js counts as `reserved`. */
const DOCUMENTATION_RANGES = { documentation: [IPv4.parseCIDR('192.0.2.0/24'), IPv4.parseCIDR('198.51.100.0/24'), IPv4.parseCIDR('203.0.113.0/24')] };

/** ipaddr.js's IANA special-purpose IPv4 ranges by kind (its `SpecialRanges`, which its `range()` reads), documentation first. */
const SPECIAL_RANGES: readonly { readonly kind: string; readonly block: Ipv4Block }[] = Object.entries({
  ...DOCUMENTATION_RANGES,
  ...(IPv4.prototype as unknown as { SpecialRanges: Record<string, [IPv4, number] | [IPv4, number][]> }).SpecialRanges,
}).flatMap(([kind, ranges]) =>
  (Array.isArray(ranges[0]) ? (ranges as [IPv4, number][]) : [ranges as unknown as [IPv4, number]]).map(([address, prefix]) => ({ kind, block: parseCidr(`${address.toString()}/${prefix}`)! })),
);

/**
 * What kind of addresses a block holds, by ipaddr.js's IANA special-purpose ranges: `private`
 * (RFC 1918), `carrierGradeNat` (RFC 6598 shared space), `documentation` (RFC 5737), `unicast`
 * (public), `loopback`, `linkLocal`, `multicast`, `reserved`, `unspecified`, `broadcast`, ...;
 * `internet` for 0.0.0.0/0 and `mixed` for a block that spans ranges of different kinds.
 */
export function cidrRange(block: Ipv4Block): string {
  if (block.prefix === 0) return 'internet';
  const ip = new IPv4([24, 16, 8, 0].map((shift) => Math.floor(block.network / 2 ** shift) % 256));
  const kind = subnetMatch(ip, DOCUMENTATION_RANGES, ip.range());
  // The block is all one kind when a range of its kind holds it whole (public space: when no special range does) and no range of another kind lies inside it.
  const holdsBlock = (range: Ipv4Block) => range.prefix <= block.prefix && cidrsOverlap(block, range);
  const whole = kind === 'unicast' || SPECIAL_RANGES.some((range) => range.kind === kind && holdsBlock(range.block));
  const inside = SPECIAL_RANGES.some((range) => range.kind !== kind && range.block.prefix > block.prefix && cidrsOverlap(block, range.block));
  return whole && !inside ? kind : 'mixed';
}

/** True when the two blocks share at least one address. */
export function cidrsOverlap(a: Ipv4Block, b: Ipv4Block): boolean {
  const aEnd = a.network + 2 ** (32 - a.prefix);
  const bEnd = b.network + 2 ** (32 - b.prefix);
  return a.network < bEnd && b.network < aEnd;
}

/** Formats a block as `a.b.c.d/n`. */
export function formatCidr(block: Ipv4Block): string {
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(block.network / 2 ** shift) % 256);
  return `${octets.join('.')}/${block.prefix}`;
}

/**
 * The `netNumber`-th subnet of `cidr` that is `newBits` longer, as Terraform's `cidrsubnet` does.
 * Throws when the parent is not a valid CIDR or the subnet does not fit.
 */
export function cidrSubnet(cidr: string, newBits: number, netNumber: number): string {
  const parent = parseCidr(cidr);
  if (!parent) throw new Error(`"${cidr}" is not a valid IPv4 CIDR`);
  const prefix = parent.prefix + newBits;
  if (prefix > 32 || netNumber < 0 || netNumber >= 2 ** newBits) {
    throw new Error(`subnet ${netNumber} of /${prefix} does not fit in ${cidr}`);
  }
  return formatCidr({ network: parent.network + netNumber * 2 ** (32 - prefix), prefix });
}
