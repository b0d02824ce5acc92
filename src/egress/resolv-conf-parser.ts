// The nameservers of resolv.conf(5): the only DNS servers default deny lets through. Pure.
import { parseNetwork } from './ip-network';

/** "nameserver ADDRESS" lines, in order, valid addresses only (a %zone is dropped). */
export function parseResolvConf(text: string): string[] {
    const servers: string[] = [];
    for (const line of text.split('\n')) {
        const match = /^\s*nameserver\s+(\S+)/.exec(line);
        if (!match)
            continue;
        const address = match[1].replace(/%.*$/, '');
        const parsed = parseNetwork(address);
        if (parsed.ok && !parsed.network.value.includes('/') && !servers.includes(parsed.network.value))
            servers.push(parsed.network.value);
    }
    return servers;
}
