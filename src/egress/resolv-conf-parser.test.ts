// The resolvers of resolv.conf(5): this machine's real file, and the shapes others write.
import { readFixture } from '../../test/unit/fixtures';
import { parseResolvConf } from './resolv-conf-parser';

test('a real resolv.conf (Debian 12 build machine)', () => {
    expect(parseResolvConf(readFixture('resolv-conf/vm-debian12.conf'))).toEqual(['10.255.255.53']);
});

test('a systemd-resolved stub file with search and options lines', () => {
    const text = [
        '# This is /run/systemd/resolve/stub-resolv.conf managed by man:systemd-resolved(8).',
        '# Do not edit.',
        'nameserver 127.0.0.53',
        'options edns0 trust-ad',
        'search example.org',
        '',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['127.0.0.53']);
});

test('in order, IPv6 canonical, a %zone dropped', () => {
    const text = [
        'nameserver 192.0.2.53',
        'nameserver 2001:DB8:0:0:0:0:0:53',
        'nameserver fe80::1%eth0',
        'nameserver 198.51.100.53',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['192.0.2.53', '2001:db8::53', 'fe80::1', '198.51.100.53']);
});

test('duplicates, however written, count once', () => {
    expect(parseResolvConf('nameserver 192.0.2.53\nnameserver 2001:db8::53\nnameserver 192.0.2.53\nnameserver 2001:db8:0::53\n'))
            .toEqual(['192.0.2.53', '2001:db8::53']);
    expect(parseResolvConf('nameserver fe80::1%eth0\nnameserver fe80::1%eth1\n')).toEqual(['fe80::1']);
});

test('comments and other keywords are not nameservers', () => {
    const text = [
        '#nameserver 192.0.2.1',
        '; nameserver 192.0.2.2',
        'domain example.org',
        'sortlist 130.155.160.0/255.255.240.0',
        'nameservers 192.0.2.3',
        '  nameserver\t192.0.2.4   # the office resolver',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['192.0.2.4']);
});

test('an invalid address or a network is ignored, the rest kept', () => {
    const text = [
        'nameserver dns.example.org',
        'nameserver 192.0.2.256',
        'nameserver 010.0.0.1',
        'nameserver 2001:db8::1::2',
        'nameserver 10.0.0.0/8',
        'nameserver',
        'nameserver 203.0.113.53',
    ].join('\n');
    expect(parseResolvConf(text)).toEqual(['203.0.113.53']);
});

test('CRLF line ends and an empty file', () => {
    expect(parseResolvConf('nameserver 192.0.2.53\r\nnameserver 192.0.2.54\r\n')).toEqual(['192.0.2.53', '192.0.2.54']);
    expect(parseResolvConf('')).toEqual([]);
});

test('as glibc reads it: an address with a prefix length is no server; an IPv4-mapped one is its IPv4 server', () => {
    expect(parseResolvConf('nameserver 192.0.2.53/32\nnameserver ::ffff:192.0.2.54\nnameserver 192.0.2.54\n')).toEqual(['192.0.2.54']);
});
