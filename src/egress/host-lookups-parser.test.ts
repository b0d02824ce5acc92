// host-lookups.sh on recorded real getent output (glibc 2.36, Debian 12): the machine's own
// /etc/hosts, and a multi-name hosts file bind-mounted over it in a private mount namespace.
import { readFixture } from '../../test/unit/fixtures';
import { parseHostLookups } from './host-lookups-parser';
import script from './host-lookups.sh';

describe('reverse: getent hosts ADDRESS', () => {
    test('names canonical first, lower case, without the trailing dot; an address without answer maps to []', () => {
        const answers = parseHostLookups(readFixture('getent/reverse-multi-name-hosts.txt'), 'reverse');
        expect([...answers]).toEqual([
            ['203.0.113.10', ['api.openai.com']],
            ['2001:db8::10', ['api.openai.com']],
            // written "Models.Example.ORG. models mirror.example.org" in the hosts file
            ['203.0.113.20', ['models.example.org', 'models', 'mirror.example.org']],
            ['198.51.100.7', ['huggingface.co', 'cdn-lfs.huggingface.co']],
            ['::1', ['localhost', 'ip6-localhost', 'ip6-loopback']],
            ['127.0.0.1', ['localhost']],
            ['192.0.2.250', []],
        ]);
    });

    test('the machine\'s own hosts file: only the first line of an address answers', () => {
        expect(parseHostLookups(readFixture('getent/reverse-etc-hosts-plain.txt'), 'reverse')).toEqual(new Map([
            ['127.0.0.1', ['localhost']],
            ['::1', []],
            ['192.0.2.250', []],
        ]));
    });

    test('the same name twice in one answer is kept once; address-looking fields are not names', () => {
        const text = 'key\t192.0.2.7\nanswer\t192.0.2.7 Host.Example. host.example 192.0.2.8 alias\nend\t\n';
        expect(parseHostLookups(text, 'reverse')).toEqual(new Map([['192.0.2.7', ['host.example', 'alias']]]));
    });

    test('answers before any key, and lines without a tab, are ignored', () => {
        const text = 'answer\t192.0.2.9 stray.example\nnoise\nkey\t192.0.2.7\nanswer\t192.0.2.7 one.example\n';
        expect(parseHostLookups(text, 'reverse')).toEqual(new Map([['192.0.2.7', ['one.example']]]));
    });

    test('nothing asked, nothing answered', () => {
        expect(parseHostLookups('end\t\n', 'reverse').size).toBe(0);
        expect(parseHostLookups('', 'forward').size).toBe(0);
    });
});

describe('forward: getent ahosts NAME', () => {
    test('unique addresses across the STREAM, DGRAM and RAW lines, in getent\'s order', () => {
        const answers = parseHostLookups(readFixture('getent/forward-multi-name-hosts.txt'), 'forward');
        expect([...answers]).toEqual([
            ['api.openai.com', ['203.0.113.10', '2001:db8::10']],
            ['huggingface.co', ['198.51.100.7', '198.51.100.8']],
            ['mirror.example.org', ['203.0.113.20']],
            // the hosts file writes it with a trailing dot: asked without one, glibc finds nothing
            ['Models.Example.ORG', []],
            ['localhost', ['::1', '127.0.0.1']],
            ['no-such-host.invalid', []],
        ]);
    });

    test('the machine\'s own hosts file', () => {
        expect(parseHostLookups(readFixture('getent/forward-etc-hosts-plain.txt'), 'forward')).toEqual(new Map([
            ['localhost', ['127.0.0.1']],
            ['no-such-host.invalid', []],
        ]));
    });

    test('the canonical name on the STREAM line is not taken for an address', () => {
        const text = readFixture('getent/forward-multi-name-hosts.txt');
        const all = [...parseHostLookups(text, 'forward').values()].flat();
        expect(all).not.toContain('Models.Example.ORG.');
        expect(all).not.toContain('STREAM');
        expect(all).toHaveLength(7);
    });

    test('addresses come out lower case', () => {
        expect(parseHostLookups('key\tv6.example\nanswer\t2001:DB8::AB  STREAM v6.example\nanswer\t2001:db8::ab  DGRAM\n', 'forward'))
                .toEqual(new Map([['v6.example', ['2001:db8::ab']]]));
    });
});

describe('the script', () => {
    test('keys arrive as arguments, never in the script\'s text', () => {
        expect(script).toContain('for key in "$@"; do');
        expect(script).toContain('getent ahosts "$key"');
        expect(script).toContain('getent hosts "$key"');
    });
});
