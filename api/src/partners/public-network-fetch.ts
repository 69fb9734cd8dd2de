import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { Agent, fetch, type RequestInit, type Response } from 'undici';

/**
 * Outgoing requests to URLs that tenants chose (webhooks) must not reach the platform's own
 * network: loopback, private, link-local (cloud metadata at 169.254.169.254), unique-local,
 * multicast, reserved. The check runs on the address actually connected to — after DNS, inside
 * the socket's lookup — so a name that resolves to a public address when saved and to a private
 * one when called (DNS rebinding) is refused too.
 */
export class BlockedAddressError extends Error {
  override name = 'BlockedAddressError';
  readonly address: string;
  constructor(address: string) {
    super(`refused to connect to ${address}: not a public address`);
    this.address = address;
  }
}

/** True for globally routable unicast addresses only (IPv4-mapped IPv6 is judged as IPv4). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const blocked = addresses.find((a) => !isPublicAddress(a.address));
    if (blocked) return callback(new BlockedAddressError(blocked.address), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

const publicOnlyAgent = new Agent({ connect: { lookup: publicOnlyLookup } });
const anyNetworkAgent = new Agent();

/** A URL's host when it is an IP literal (those skip DNS, so the lookup hook never sees them). */
function literalAddress(url: URL): string | null {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(host) ? host : null;
}

/** Throws BlockedAddressError when the URL's host is an IP literal that is not public. */
export function assertPublicUrl(url: URL) {
  const literal = literalAddress(url);
  if (literal !== null && !isPublicAddress(literal)) throw new BlockedAddressError(literal);
}

/**
 * fetch() that connects to public addresses only, unless `allowPrivateNetworks` (a platform
 * setting for on-premises installs and tests whose receivers live on the same network).
 */
export async function fetchPublic(url: string, init: RequestInit & { allowPrivateNetworks?: boolean }): Promise<Response> {
  const { allowPrivateNetworks, ...rest } = init;
  if (!allowPrivateNetworks) assertPublicUrl(new URL(url));
  return fetch(url, { ...rest, dispatcher: allowPrivateNetworks ? anyNetworkAgent : publicOnlyAgent });
}
