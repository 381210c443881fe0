import { BlockList, isIP } from 'node:net';

/** `::ffff:127.0.0.1` (an IPv4 client on a dual-stack socket) as `127.0.0.1`; anything else as it is. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** The eight groups of an IPv6 address, `::` expanded; undefined when it is not one. */
function ipv6Groups(address: string): string[] | undefined {
  if (isIP(address) !== 6 || address.includes('.')) return undefined;
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(missing).fill('0'), ...right].map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''));
}

/**
 * What one client is, for counting failures: an IPv4 address, or an IPv6 address's /64 (one subscriber gets a whole
 * /64 and could otherwise change address at every attempt).
 */
export function clientKey(address: string): string {
  const plain = plainAddress(address);
  const groups = ipv6Groups(plain);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : plain;
}

/** Matches addresses against a list of addresses and CIDR ranges (IPv4 and IPv6). */
export class AddressList {
  readonly #list = new BlockList();
  readonly size: number;

  /** `entries` are checked by the configuration: an entry that is neither an address nor a range is skipped. */
  constructor(entries: readonly string[]) {
    let added = 0;
    for (const entry of entries) {
      const [address = '', prefix] = entry.split('/');
      const family = isIP(address);
      if (family === 0) continue;
      const type = family === 4 ? 'ipv4' : 'ipv6';
      if (prefix === undefined) this.#list.addAddress(address, type);
      else this.#list.addSubnet(address, Number(prefix), type);
      added += 1;
    }
    this.size = added;
  }

  includes(address: string | undefined): boolean {
    if (!address) return false;
    const plain = plainAddress(address);
    const family = isIP(plain);
    if (family === 0) return false;
    return this.#list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
