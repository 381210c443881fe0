import { emailProblem, normalizeEmail } from '#src/domain/email.js';
import { AddressList } from '#src/domain/network-address.js';
import type { ServiceDeps } from '#src/services/service-deps.js';
import type { UserRow } from '#src/storage/schema.js';

/**
 * Sign-in by a trusted reverse proxy (LABEL_STUDIO_PROXY_AUTH_HEADER from LABEL_STUDIO_PROXY_AUTH_ADDRESSES): the
 * proxy authenticates people (oauth2-proxy, an SSO gateway) and names the user in a header on every request. The
 * header is believed only when the connection itself comes from a configured proxy address. Unknown e-mails get no
 * account: the proxy may let in more people than the organization has (create them first, or invite them).
 */
export class ProxyAuthService {
  readonly #proxies: AddressList;
  /** The header's name, lower-cased; undefined when the mode is off. */
  readonly header: string | undefined;

  constructor(private readonly deps: ServiceDeps) {
    const { header, addresses } = deps.config.proxyAuth;
    this.#proxies = new AddressList(addresses);
    this.header = header && this.#proxies.size > 0 ? header : undefined;
  }

  /** True when a request whose connection comes from `peerAddress` may name its user by the header. */
  trusts(peerAddress: string | undefined): boolean {
    return this.header !== undefined && this.#proxies.includes(peerAddress);
  }

  /** The active account the proxy names, or undefined (no such account, deleted, inactive, or not an e-mail). */
  async userFor(headerValue: string): Promise<UserRow | undefined> {
    const email = normalizeEmail(headerValue);
    if (email === '' || email.length > 254 || emailProblem(email)) return undefined;
    const user = await this.deps.repos.users.findByEmail(email);
    return user?.is_active && user.deleted_at === null ? user : undefined;
  }
}
