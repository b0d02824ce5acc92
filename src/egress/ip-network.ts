// An address or a network in CIDR form, checked strictly and written canonically, for the
// places where text becomes an nftables element or a systemd IPAddressAllow= value. Pure and
// without translations (the allowlist turns problems into sentences), so that the recorder
// under test/record can run it with ts-node.
import { parseIpAddress, type IpAddress } from './address-class';

export type IpFamily = 'ipv4' | 'ipv6';

export interface IpNetwork {
    /** A network with a prefix shorter than the address (/32, /128 are addresses). */
    kind: 'address' | 'network';
    /** Canonical: IPv4 without leading zeros, IPv6 as RFC 5952 writes it (lower case, longest zero run as '::'); networks with '/len'. */
    value: string;
    family: IpFamily;
    /** 32 or 128 for an address. */
    prefix: number;
}

/** Why text is not an address or network; the allowlist words each for the admin. */
export type NetworkProblem =
    | { problem: 'ipv4' }
    | { problem: 'ipv4-leading-zero' }
    | { problem: 'ipv6' }
    | { problem: 'zone' }
    | { problem: 'mapped', ipv4: string }
    | { problem: 'prefix', max: number }
    | { problem: 'host-bits', network: string, prefix: number };

export interface NetworkOptions {
    /** Drop a '%zone' (resolv.conf may name one for a link-local resolver); otherwise it is a problem. */
    allowZone?: boolean;
    /** Mask host bits away, as systemd does with what it reads; otherwise they are a problem. */
    maskHostBits?: boolean;
}

const IPV4_SHAPE = /^[0-9]+(?:\.[0-9]+){3}$/;

/** Text that must be read as an address or network, not as a host name: it has a ':', or digits and dots up to a '/' or '%'. */
export function looksNumeric(text: string): boolean {
    return text.includes(':') || /^[0-9][0-9.]*(?:[/%].*)?$/.test(text);
}

export function parseNetwork(text: string, options: NetworkOptions = {}): { ok: true, network: IpNetwork } | ({ ok: false } & NetworkProblem) {
    const slash = text.indexOf('/');
    let addressText = slash >= 0 ? text.slice(0, slash) : text;
    const prefixText = slash >= 0 ? text.slice(slash + 1) : null;
    const v6 = addressText.includes(':');
    const percent = addressText.indexOf('%');
    if (percent >= 0) {
        if (!v6 || !options.allowZone)
            return { ok: false, problem: v6 ? 'zone' : 'ipv4' };
        addressText = addressText.slice(0, percent);
    }
    // brackets belong to URLs, and parseIpAddress would take them
    if (addressText.includes('['))
        return { ok: false, problem: v6 ? 'ipv6' : 'ipv4' };
    if (!v6 && IPV4_SHAPE.test(addressText) && addressText.split('.').some(part => /^0[0-9]/.test(part)))
        return { ok: false, problem: 'ipv4-leading-zero' };
    const ip = parseIpAddress(addressText);
    if (!ip || (ip.family === 6) !== v6)
        return { ok: false, problem: v6 ? 'ipv6' : 'ipv4' };
    if (ip.family === 6 && isMapped(ip.groups))
        return { ok: false, problem: 'mapped', ipv4: formatIpv4(mappedBytes(ip.groups)) };
    const max = ip.family === 4 ? 32 : 128;
    let prefix = max;
    if (prefixText !== null) {
        if (!/^(?:0|[1-9][0-9]{0,2})$/.test(prefixText) || Number(prefixText) > max)
            return { ok: false, problem: 'prefix', max };
        prefix = Number(prefixText);
    }
    const bits = toBits(ip);
    const masked = bits.map((bit, i) => (i < prefix ? bit : 0));
    const network = fromBits(masked, ip.family);
    if (!options.maskHostBits && bits.some((bit, i) => bit !== masked[i]))
        return { ok: false, problem: 'host-bits', network: `${network}/${prefix}`, prefix };
    return {
        ok: true,
        network: {
            kind: prefix === max ? 'address' : 'network',
            value: prefix === max ? network : `${network}/${prefix}`,
            family: ip.family === 4 ? 'ipv4' : 'ipv6',
            prefix,
        },
    };
}

/** The canonical text of an address: what nft prints back, so a listing compares equal. */
export function formatIpAddress(ip: IpAddress): string {
    return ip.family === 4 ? formatIpv4(ip.bytes) : formatIpv6(ip.groups);
}

function formatIpv4(bytes: readonly number[]): string {
    return bytes.join('.');
}

// RFC 5952: lower-case hex without leading zeros, the longest run of two or more zero groups
// (the first of equal runs) as '::'.
function formatIpv6(groups: readonly number[]): string {
    let bestStart = -1;
    let bestLength = 1;
    for (let i = 0; i < 8;) {
        if (groups[i] !== 0) {
            i++;
            continue;
        }
        let j = i;
        while (j < 8 && groups[j] === 0)
            j++;
        if (j - i > bestLength) {
            bestStart = i;
            bestLength = j - i;
        }
        i = j;
    }
    const hex = groups.map(g => g.toString(16));
    if (bestStart < 0)
        return hex.join(':');
    return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function isMapped(groups: readonly number[]): boolean {
    return groups.slice(0, 5).every(g => g === 0) && groups[5] === 0xffff;
}

function mappedBytes(groups: readonly number[]): number[] {
    return [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff];
}

function toBits(ip: IpAddress): number[] {
    const [words, width] = ip.family === 4 ? [ip.bytes, 8] : [ip.groups, 16];
    return words.flatMap(word => Array.from({ length: width }, (_unused, i) => (word >> (width - 1 - i)) & 1));
}

function fromBits(bits: readonly number[], family: 4 | 6): string {
    const width = family === 4 ? 8 : 16;
    const words: number[] = [];
    for (let i = 0; i < bits.length; i += width)
        words.push(bits.slice(i, i + width).reduce((word, bit) => (word << 1) | bit, 0));
    return family === 4 ? formatIpv4(words) : formatIpv6(words);
}

function bitsOf(ip: IpAddress): number[] {
    const words = ip.family === 4 ? ip.bytes : ip.groups;
    const width = ip.family === 4 ? 8 : 16;
    return words.flatMap(word => Array.from({ length: width }, (_unused, i) => (word >> (width - 1 - i)) & 1));
}

/** Whether an address lies in a network written as an allowlist value ('203.0.113.0/24', or an address). */
export function networkContains(network: string, address: string): boolean {
    const slash = network.indexOf('/');
    const base = parseIpAddress(slash < 0 ? network : network.slice(0, slash));
    const ip = parseIpAddress(address);
    if (!base || !ip || base.family !== ip.family)
        return false;
    const prefix = slash < 0 ? (base.family === 4 ? 32 : 128) : Number(network.slice(slash + 1));
    const [a, b] = [bitsOf(base), bitsOf(ip)];
    return a.slice(0, prefix).every((bit, i) => bit === b[i]);
}
