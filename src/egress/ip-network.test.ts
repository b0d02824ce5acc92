// Addresses and networks as nftables elements and IPAddressAllow= values: canonical text
// (RFC 5952, as nft prints it) and the options of the ruleset and drop-in readers.
import { parseIpAddress } from './address-class';
import { formatIpAddress, looksNumeric, networkContains, parseNetwork } from './ip-network';

test.each([
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // equal runs: the first is compressed
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // one zero group stays
    ['0:0:0:0:0:0:0:0', '::'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['1:0:0:0:0:0:0:0', '1::'],
    ['FE80:0000:0000:0000:0000:0000:0000:00AB', 'fe80::ab'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['10.0.0.1', '10.0.0.1'],
])('%s is written %s', (text, canonical) => {
    const ip = parseIpAddress(text);
    expect(ip).not.toBeNull();
    expect(formatIpAddress(ip!)).toBe(canonical);
});

test('a zone is dropped only where asked (resolv.conf names one for a link-local resolver)', () => {
    expect(parseNetwork('fe80::53%eth0')).toEqual({ ok: false, problem: 'zone' });
    expect(parseNetwork('fe80::53%eth0', { allowZone: true })).toEqual({
        ok: true, network: { kind: 'address', value: 'fe80::53', family: 'ipv6', prefix: 128 },
    });
    expect(parseNetwork('10.0.0.1%eth0', { allowZone: true })).toEqual({ ok: false, problem: 'ipv4' });
});

test('host bits are masked only where asked (reading what systemd reads)', () => {
    expect(parseNetwork('10.1.2.3/8')).toEqual({ ok: false, problem: 'host-bits', network: '10.0.0.0/8', prefix: 8 });
    expect(parseNetwork('10.1.2.3/8', { maskHostBits: true })).toEqual({
        ok: true, network: { kind: 'network', value: '10.0.0.0/8', family: 'ipv4', prefix: 8 },
    });
    expect(parseNetwork('2001:db8::ff/120', { maskHostBits: true })).toEqual({
        ok: true, network: { kind: 'network', value: '2001:db8::/120', family: 'ipv6', prefix: 120 },
    });
});

test('/0 is a network (the allowlist refuses it, IPAddressDeny= may say it)', () => {
    expect(parseNetwork('0.0.0.0/0')).toEqual({ ok: true, network: { kind: 'network', value: '0.0.0.0/0', family: 'ipv4', prefix: 0 } });
    expect(parseNetwork('::/0')).toEqual({ ok: true, network: { kind: 'network', value: '::/0', family: 'ipv6', prefix: 0 } });
});

test('text that could close an nftables set or start a new statement is never an address', () => {
    for (const text of ['10.0.0.1 }', '10.0.0.1,10.0.0.2', '10.0.0.0/8; flush ruleset', '::1 }', '[::1]', '10.0.0.1\n'])
        expect(parseNetwork(text).ok).toBe(false);
});

test.each([
    ['192.0.2.1', true], ['10.0.0.0/8', true], ['10.0.0.0/-1', true], ['1.2.3.4%eth0', true], ['::1', true],
    ['example.com:443', true], ['3com.com', false], ['api.example.com', false], ['.', false], ['', false],
])('looksNumeric(%j) is %s', (text, expected) => {
    expect(looksNumeric(text)).toBe(expected);
});

describe('networkContains', () => {
    test.each([
        ['203.0.113.0/24', '203.0.113.12', true],
        ['203.0.113.0/24', '203.0.114.12', false],
        ['10.0.0.0/8', '10.213.9.2', true],
        ['198.51.100.7', '198.51.100.7', true],
        ['198.51.100.7', '198.51.100.8', false],
        ['0.0.0.0/0', '192.0.2.1', true],
        ['2001:db8::/32', '2001:db8:a1e5::7', true],
        ['2001:db8::/32', '2001:db9::1', false],
        ['fe80::/10', 'febf::1', true],
        ['203.0.113.0/24', '2001:db8::1', false],
        ['203.0.113.0/24', 'api.example.com', false],
    ])('%s contains %s: %s', (network, address, expected) => {
        expect(networkContains(network, address)).toBe(expected);
    });
});
