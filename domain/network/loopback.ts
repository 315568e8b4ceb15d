/**
 * Whether a host name stands for this machine: the IPv4 loopback block 127.0.0.0/8, `::1`, and
 * `localhost` with its subdomains (RFC 6761 §6.3 reserves `*.localhost` for loopback). One
 * predicate for every "is this on this machine" rule: the control API's bind, `--live`, and the
 * Testcontainers module's local-engine check.
 */

/**
 * True for a loopback host; IPv6 may come bracketed, as in a URL's `hostname`.
 *
 * @example
 * isLoopbackHost('127.0.0.1') // true
 * isLoopbackHost('[::1]') // true
 * isLoopbackHost('myorg-myaccount.localhost') // true
 * isLoopbackHost('10.0.0.5') // false
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1' || h === 'localhost' || h.endsWith('.localhost');
}
