// Loopback / local network / internet, on the edges of each range and on recorded sockets.
import { readFixture } from '../../test/unit/fixtures';
import { classifyAddress, parseIpAddress, type AddressClass } from './address-class';
import { parseSs } from './ss-parser';

test.each<[string, AddressClass]>([
    ['9.255.255.255', 'internet'],
    ['10.0.0.0', 'local-network'],
    ['10.255.255.255', 'local-network'],
    ['11.0.0.0', 'internet'],
    ['172.15.255.255', 'internet'],
    ['172.16.0.0', 'local-network'],
    ['172.31.255.255', 'local-network'],
    ['172.32.0.0', 'internet'],
    ['192.167.255.255', 'internet'],
    ['192.168.0.1', 'local-network'],
    ['192.169.0.1', 'internet'],
    ['100.63.255.255', 'internet'],
    ['100.64.0.0', 'local-network'],
    ['100.127.255.255', 'local-network'],
    ['100.128.0.0', 'internet'],
    ['169.254.169.254', 'local-network'],
    ['169.255.0.1', 'internet'],
    ['224.0.0.251', 'local-network'],
    ['239.255.255.250', 'local-network'],
    ['240.0.0.1', 'internet'],
    ['255.255.255.255', 'local-network'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['128.0.0.1', 'internet'],
    ['8.8.8.8', 'internet'],
    // documentation ranges: not private, so internet (this build machine's own uplink is 192.0.2.2)
    ['192.0.2.2', 'internet'],
    ['198.51.100.7', 'internet'],
    ['203.0.113.9', 'internet'],
    ['2001:db8::1', 'internet'],
    ['0.0.0.0', 'wildcard'],
    ['::', 'wildcard'],
    ['*', 'wildcard'],
    ['::ffff:0.0.0.0', 'wildcard'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['::2', 'internet'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:10.213.0.2', 'local-network'],
    ['::ffff:a00:1', 'local-network'],
    ['::ffff:198.51.100.7', 'internet'],
    ['fe80::1', 'local-network'],
    ['fe80::1%eth0', 'local-network'],
    ['[fe80::a1e5:1]', 'local-network'],
    ['febf:ffff::1', 'local-network'],
    ['fec0::1', 'local-network'],
    ['fe00::1', 'internet'],
    ['fbff::1', 'internet'],
    ['fc00::1', 'local-network'],
    ['fd12::1', 'local-network'],
    ['FD42:A1E5:213::2', 'local-network'],
    ['fe00::', 'internet'],
    ['ff02::fb', 'local-network'],
    ['ff0e::1', 'local-network'],
    ['2606:4700:4700::1111', 'internet'],
    ['64:ff9b::1.2.3.4', 'internet'],
])('%s is %s', (address, expected) => {
    expect(classifyAddress(address)).toBe(expected);
});

test.each(['api.openai.com', '1.2.3', '256.1.1.1', '1.2.3.4.5', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7:8::', '12345::', 'g::1', '::1.2.3', ''])(
    'what is not an address (%s) is not known to be local', (text) => {
        expect(parseIpAddress(text)).toBeNull();
        expect(classifyAddress(text)).toBe('internet');
    });

test('addresses become octets and groups', () => {
    expect(parseIpAddress('10.213.0.2')).toEqual({ family: 4, bytes: [10, 213, 0, 2] });
    expect(parseIpAddress('::ffff:1.2.3.4')).toEqual({ family: 6, groups: [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304] });
    expect(parseIpAddress('[fe80::a1e5:1]')).toEqual({ family: 6, groups: [0xfe80, 0, 0, 0, 0, 0, 0xa1e5, 1] });
    expect(parseIpAddress('1:2:3:4:5:6:7:8')).toEqual({ family: 6, groups: [1, 2, 3, 4, 5, 6, 7, 8] });
    expect(parseIpAddress('1::')).toEqual({ family: 6, groups: [1, 0, 0, 0, 0, 0, 0, 0] });
});

test('the peers of every recorded workstation socket', () => {
    const sockets = parseSs(readFixture('ss/ss-tunapH-e-6.1-workstation.txt'));
    const classes: Record<string, string[]> = {};
    for (const s of sockets)
        (classes[classifyAddress(s.peer.address)] ??= []).push(s.peer.address);
    expect(Object.fromEntries(Object.entries(classes).map(([k, v]) => [k, v.length]))).toEqual({
        wildcard: 6, loopback: 5, 'local-network': 2, internet: 17,
    });
    expect(new Set(classes['local-network'])).toEqual(new Set(['::ffff:10.213.0.1', 'fe80::a1e5:1']));
    expect(new Set(classes.internet)).toEqual(new Set(['198.51.100.7', '2001:db8:a1e5::7', '::ffff:198.51.100.7']));
});
