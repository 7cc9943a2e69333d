/** IPv4 CIDR arithmetic: parsing, overlap checks and Terraform-style `cidrsubnet` carving. */

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A parsed IPv4 CIDR block: the network address as an unsigned 32-bit number and the prefix. */
export interface Ipv4Block {
  readonly network: number;
  readonly prefix: number;
}

/**
 * Parses `a.b.c.d/n`. Returns undefined for anything that is not a canonical IPv4 CIDR: octets over
 * 255, a prefix over 32, or host bits set (`10.0.0.1/16`), which AWS rejects.
 */
export function parseCidr(cidr: string): Ipv4Block | undefined {
  const match = CIDR_PATTERN.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, octet) => acc * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined;
  return { network: address, prefix };
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
