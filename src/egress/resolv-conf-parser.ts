// The nameservers of resolv.conf(5): the only DNS servers default deny lets through. Pure.
import { parseNetwork } from './ip-network';

/**
 * "nameserver ADDRESS" lines, in order, valid addresses only (a %zone is dropped). As glibc
 * reads them (inet_pton): no prefix length; an IPv4-mapped IPv6 address is the IPv4 server
 * its packets go to.
 */
export function parseResolvConf(text: string): string[] {
    const servers: string[] = [];
    for (const line of text.split('\n')) {
        const match = /^\s*nameserver\s+(\S+)/.exec(line);
        if (!match)
            continue;
        const address = match[1].replace(/%.*$/, '');
        if (address.includes('/'))
            continue;
        const parsed = parseNetwork(address);
        const value = parsed.ok ? parsed.network.value : parsed.problem === 'mapped' ? parsed.ipv4 : null;
        if (value !== null && !servers.includes(value))
            servers.push(value);
    }
    return servers;
}
