// Where an address is: on this machine, on a network it is attached to, or out on the
// internet (Portmaster's Localhost / LAN / Internet). Pure.
//
// Documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32) count
// as internet: they are not private, and the test world (and some lab uplinks) stand them in
// for public endpoints.

export type AddressClass = 'wildcard' | 'loopback' | 'local-network' | 'internet';

export type IpAddress =
    | { family: 4, /** 4 octets */ bytes: readonly number[] }
    | { family: 6, /** 8 groups of 16 bits */ groups: readonly number[] };

/** A numeric address, also in brackets or with a %zone; null for anything else. */
export function parseIpAddress(text: string): IpAddress | null {
    let address = text;
    if (address.startsWith('[') && address.endsWith(']'))
        address = address.slice(1, -1);
    const percent = address.indexOf('%');
    if (percent >= 0)
        address = address.slice(0, percent);
    if (address.includes(':')) {
        const groups = parseIpv6(address);
        return groups ? { family: 6, groups } : null;
    }
    const bytes = parseIpv4(address);
    return bytes ? { family: 4, bytes } : null;
}

/**
 * The class of an address as ss prints it ('*' is any address). One that is not numeric is
 * 'internet': nothing shows it is local, and the page must not hide it.
 */
export function classifyAddress(text: string): AddressClass {
    if (text === '*')
        return 'wildcard';
    const ip = parseIpAddress(text);
    if (!ip)
        return 'internet';
    return ip.family === 4 ? classifyIpv4(ip.bytes) : classifyIpv6(ip.groups);
}

function classifyIpv4([a, b, c, d]: readonly number[]): AddressClass {
    if (a === 0 && b === 0 && c === 0 && d === 0)
        return 'wildcard';
    if (a === 127)
        return 'loopback';
    if (a === 10 ||
        (a === 172 && b >= 16 && b <= 31) ||
        (a === 192 && b === 168) ||
        (a === 100 && b >= 64 && b <= 127) || // CGNAT, RFC 6598: the provider's network, not the internet
        (a === 169 && b === 254) ||
        (a >= 224 && a <= 239) ||
        (a === 255 && b === 255 && c === 255 && d === 255))
        return 'local-network';
    return 'internet';
}

function classifyIpv6(groups: readonly number[]): AddressClass {
    const [g0, g1, g2, g3, g4, g5, g6, g7] = groups;
    const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
    if (upperZero && g5 === 0xffff) // ::ffff:a.b.c.d, an IPv4 peer of a dual-stack socket
        return classifyIpv4([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
    if (upperZero && g5 === 0 && g6 === 0 && g7 === 0)
        return 'wildcard';
    if (upperZero && g5 === 0 && g6 === 0 && g7 === 1)
        return 'loopback';
    if ((g0 & 0xffc0) === 0xfe80 || // link-local
        (g0 & 0xffc0) === 0xfec0 || // site-local, deprecated but still routed only inside a site
        (g0 & 0xfe00) === 0xfc00 || // unique local (ULA)
        (g0 & 0xff00) === 0xff00) // multicast
        return 'local-network';
    return 'internet';
}

function parseIpv4(text: string): number[] | null {
    const parts = text.split('.');
    if (parts.length !== 4 || !parts.every(p => /^\d{1,3}$/.test(p)))
        return null;
    const bytes = parts.map(Number);
    return bytes.every(b => b <= 255) ? bytes : null;
}

function parseIpv6(text: string): number[] | null {
    const halves = text.split('::');
    if (halves.length > 2)
        return null;
    const head = parseGroups(halves[0]);
    const tail = halves.length === 2 ? parseGroups(halves[1]) : [];
    if (!head || !tail)
        return null;
    const missing = 8 - head.length - tail.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0)
        return null;
    return [...head, ...new Array<number>(missing).fill(0), ...tail];
}

/** "a:b:c" or "a:b:1.2.3.4" (an IPv4 tail counts as two groups); "" is no group. */
function parseGroups(text: string): number[] | null {
    if (text === '')
        return [];
    const parts = text.split(':');
    const groups: number[] = [];
    for (const [i, part] of parts.entries()) {
        if (i === parts.length - 1 && part.includes('.')) {
            const v4 = parseIpv4(part);
            if (!v4)
                return null;
            groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
            groups.push(parseInt(part, 16));
        } else {
            return null;
        }
    }
    return groups;
}
