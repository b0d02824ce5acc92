// The admin's allowlist: what it accepts (canonically written), every refusal with its
// sentence, and duplicates however they were written.
import { formatAllowlist, parseAllowlist, parseAllowlistEntry, type AllowlistEntry } from './allowlist';

const entry = (text: string): AllowlistEntry => {
    const result = parseAllowlistEntry(text);
    if (!result.ok)
        throw new Error(`refused ${text}: ${result.reason}`);
    return result.entry;
};
const reason = (text: string): string => {
    const result = parseAllowlistEntry(text);
    if (result.ok)
        throw new Error(`accepted ${text}`);
    return result.reason;
};

describe('accepted entries', () => {
    test.each<[string, AllowlistEntry]>([
        ['192.0.2.10', { kind: 'address', value: '192.0.2.10', family: 'ipv4' }],
        ['0.0.0.0', { kind: 'address', value: '0.0.0.0', family: 'ipv4' }],
        ['198.51.100.0/24', { kind: 'network', value: '198.51.100.0/24', family: 'ipv4' }],
        ['10.0.0.0/8', { kind: 'network', value: '10.0.0.0/8', family: 'ipv4' }],
        ['203.0.113.9/32', { kind: 'address', value: '203.0.113.9', family: 'ipv4' }],
        ['128.0.0.0/1', { kind: 'network', value: '128.0.0.0/1', family: 'ipv4' }],
        ['2001:db8::10', { kind: 'address', value: '2001:db8::10', family: 'ipv6' }],
        ['2001:DB8:0:0:0:0:0:10', { kind: 'address', value: '2001:db8::10', family: 'ipv6' }],
        ['2001:0db8::0010', { kind: 'address', value: '2001:db8::10', family: 'ipv6' }],
        ['2001:db8:0:0:1:0:0:1', { kind: 'address', value: '2001:db8::1:0:0:1', family: 'ipv6' }],
        ['2001:db8:0:1:1:1:1:1', { kind: 'address', value: '2001:db8:0:1:1:1:1:1', family: 'ipv6' }],
        ['2001:db8::/32', { kind: 'network', value: '2001:db8::/32', family: 'ipv6' }],
        ['2001:db8:a1e6::/48', { kind: 'network', value: '2001:db8:a1e6::/48', family: 'ipv6' }],
        ['2606:4700:4700::1111/128', { kind: 'address', value: '2606:4700:4700::1111', family: 'ipv6' }],
        ['64:ff9b::192.0.2.1', { kind: 'address', value: '64:ff9b::c000:201', family: 'ipv6' }],
        ['::1', { kind: 'address', value: '::1', family: 'ipv6' }],
        ['api.example.com', { kind: 'name', value: 'api.example.com', family: null }],
        ['API.Example.COM', { kind: 'name', value: 'api.example.com', family: null }],
        ['api.example.com.', { kind: 'name', value: 'api.example.com', family: null }],
        ['xn--bcher-kva.example', { kind: 'name', value: 'xn--bcher-kva.example', family: null }],
        ['3com.com', { kind: 'name', value: '3com.com', family: null }],
        ['a-b.c-d.e1', { kind: 'name', value: 'a-b.c-d.e1', family: null }],
        ['huggingface.co', { kind: 'name', value: 'huggingface.co', family: null }],
    ])('%s', (text, expected) => {
        expect(entry(text)).toEqual(expected);
    });

    test('the longest name and label that are allowed', () => {
        const label = 'a'.repeat(63);
        expect(entry(`${label}.example`).value).toBe(`${label}.example`);
        // 63 + 1 + 63 + 1 + 63 + 1 + 61 = 253
        const longest = [label, label, label, 'b'.repeat(61)].join('.');
        expect(longest).toHaveLength(253);
        expect(entry(longest).value).toBe(longest);
    });
});

describe('every refusal says why', () => {
    test.each<[string, RegExp]>([
        ['', /Give an address, a network or a host name/],
        ['api.example.com other.example.com', /one entry per line/],
        ['10.0.0.1 # office', /one entry per line/],
        ['https://api.example.com', /without http:\/\/ or a path/],
        ['http://192.0.2.1/', /without http:\/\/ or a path/],
        ['api.example.com/v1', /without http:\/\/ or a path/],
        ['api.example.com:443', /Leave out the port/],
        ['192.0.2.1:443', /Leave out the port/],
        ['[2001:db8::1]:443', /Leave out the port/],
        ['localhost:8080', /Leave out the port/],
        ['[2001:db8::1]', /without the brackets/],
        ['*.openai.azure.com', /A wildcard cannot be allowed/],
        ['*', /A wildcard cannot be allowed/],
        ['256.1.1.1', /not an IPv4 address/],
        ['1.2.3', /not an IPv4 address/],
        ['1.2.3.4.5', /not an IPv4 address/],
        ['1.2.3.4%eth0', /not an IPv4 address/],
        ['10.0.0.0/', /The length after '\/' is a number from 0 to 32/],
        ['010.1.2.3', /without leading zeros/],
        ['10.01.2.3/16', /without leading zeros/],
        ['1::2::3', /not an IPv6 address/],
        ['1:2:3:4:5:6:7:8:9', /not an IPv6 address/],
        ['g::1', /not an IPv6 address/],
        ['12345::', /not an IPv6 address/],
        ['fe80::1%eth0', /Leave out the interface after '%'/],
        ['::ffff:192.0.2.1', /IPv4 address written as IPv6: write 192\.0\.2\.1\./],
        ['::ffff:c000:201/128', /IPv4 address written as IPv6: write 192\.0\.2\.1\./],
        ['10.0.0.0/33', /from 0 to 32/],
        ['2001:db8::/129', /from 0 to 128/],
        ['10.0.0.0/08', /from 0 to 32/],
        ['10.0.0.0/-1', /from 0 to 32/],
        ['10.0.0.0/8/8', /from 0 to 32/],
        ['0.0.0.0/0', /length 0 is every address/],
        ['::/0', /length 0 is every address/],
        ['localhost', /full host name with its domain/],
        ['intranet', /full host name with its domain/],
        ['api..example.com', /no empty part/],
        ['.example.com', /no empty part/],
        ['api.example.com..', /no empty part/],
        ['.', /no empty part/],
        ['-api.example.com', /letters, digits and '-' only/],
        ['api-.example.com', /letters, digits and '-' only/],
        ['my_host.example.com', /letters, digits and '-' only/],
        ['api.example.com;', /letters, digits and '-' only/],
        ['api.example.com"', /letters, digits and '-' only/],
        ['bücher.example', /ASCII form \(xn--…\)/],
        ['foo.123', /is not a number/],
        [`${'a'.repeat(64)}.example`, /at most 63 characters/],
        [['a'.repeat(63), 'a'.repeat(63), 'a'.repeat(63), 'b'.repeat(62)].join('.'), /at most 253 characters/],
    ])('%j', (text, expected) => {
        expect(reason(text)).toMatch(expected);
    });

    test('host bits: the network is named, and the length', () => {
        expect(reason('10.1.2.3/8')).toBe('Host bits are set after the first 8 bits: the network is 10.0.0.0/8. Write that, or the single address without /8.');
        expect(reason('2001:db8::1/64')).toBe('Host bits are set after the first 64 bits: the network is 2001:db8::/64. Write that, or the single address without /64.');
        expect(reason('192.0.2.129/25')).toMatch(/the network is 192\.0\.2\.128\/25\./);
    });
});

describe('parseAllowlist', () => {
    test('one entry a line, blank lines and comments skipped, problems with their line', () => {
        const list = parseAllowlist([
            '# model hub',
            'huggingface.co',
            '',
            '   198.51.100.0/24  ',
            'https://api.openai.com/v1',
            '2001:db8::10\r',
            '10.1.2.3/8',
        ].join('\n'));
        expect(list.entries).toEqual([
            { kind: 'name', value: 'huggingface.co', family: null },
            { kind: 'network', value: '198.51.100.0/24', family: 'ipv4' },
            { kind: 'address', value: '2001:db8::10', family: 'ipv6' },
        ]);
        expect(list.problems.map(p => [p.line, p.text])).toEqual([
            [5, 'https://api.openai.com/v1'],
            [7, '10.1.2.3/8'],
        ]);
        expect(list.problems[0].reason).toMatch(/without http:\/\//);
    });

    test('duplicates are flagged on their later line however they are written, and kept once', () => {
        const list = parseAllowlist([
            'api.example.com',
            '2001:db8::10',
            '192.0.2.10',
            'API.example.com.',
            '2001:DB8:0::10',
            '192.0.2.10/32',
            '192.0.2.0/24',
        ].join('\n'));
        expect(list.entries.map(e => e.value)).toEqual(['api.example.com', '2001:db8::10', '192.0.2.10', '192.0.2.0/24']);
        expect(list.problems).toEqual([
            { line: 4, text: 'API.example.com.', reason: 'This repeats line 1.' },
            { line: 5, text: '2001:DB8:0::10', reason: 'This repeats line 2.' },
            { line: 6, text: '192.0.2.10/32', reason: 'This repeats line 3.' },
        ]);
    });

    test('an empty text is an empty list', () => {
        expect(parseAllowlist('')).toEqual({ entries: [], problems: [] });
        expect(parseAllowlist('\n\n# nothing yet\n')).toEqual({ entries: [], problems: [] });
    });

    test('formatAllowlist writes the canonical lines, which parse back to the same entries', () => {
        const list = parseAllowlist('API.example.com\n2001:0DB8::0010\n198.51.100.0/24\n');
        const text = formatAllowlist(list.entries);
        expect(text).toBe('api.example.com\n2001:db8::10\n198.51.100.0/24\n');
        expect(parseAllowlist(text)).toEqual(list);
    });
});
