// Blocking one unit: the unit name checked the way systemd checks it, exceptions that systemd
// can take (no host names), the drop-in's text and path, and reading it back.
import { parseErrorOf } from '../../test/unit/parse-errors';
import { parseAllowlist, type AllowlistEntry } from './allowlist';
import { DROPIN_FILE_NAME, dropInPath, egressDropIn, exceptionProblem, parseEgressDropIn, unitNameProblem } from './unit-dropin';

const entries = (text: string): AllowlistEntry[] => {
    const list = parseAllowlist(text);
    expect(list.problems).toEqual([]);
    return list.entries;
};

describe('unitNameProblem', () => {
    test.each([
        'ollama.service', 'llama-server.service', 'container-llama_cpp.service', 'getty@tty1.service', 'model@.service',
        'foo\\x2dbar.service', 'sys-devices-a:b.service', 'podman.socket', 'machine.slice', 'user-1000.slice', `${'a'.repeat(247)}.service`,
    ])('%s is a unit that can be blocked', (unit) => {
        expect(unitNameProblem(unit)).toBeNull();
    });

    test.each<[string, RegExp]>([
        ['', /Give the unit's name/],
        [`${'a'.repeat(248)}.service`, /at most 255 characters/],
        ['ollama', /ends in its type/],
        ['ollama.', /ends in its type/],
        ['.service', /ends in its type/],
        ['ollama.servic', /ends in its type/],
        ['ollama.Service', /ends in its type/],
        ['ollama.service ', /ends in its type/],
        ['oll ama.service', /letters, digits, ':', '-', '_', '.', '\\' and '@' only/],
        ['../../etc/passwd.service', /letters, digits/],
        ['a/b.service', /letters, digits/],
        ['ollama$.service', /letters, digits/],
        ['ollämä.service', /letters, digits/],
        ['ollama\n.service', /letters, digits/],
        ['@tty1.service', /starts with its name, before any '@'/],
        ['@.service', /starts with its name/],
        ['multi-user.target', /A \.target unit cannot be kept off the network/],
        ['libpod-3f1c.scope', /A \.scope unit cannot be kept off the network/],
        ['fstrim.timer', /A \.timer unit cannot be kept off the network/],
        ['var-lib.mount', /services, sockets and slices/],
    ])('%j: %s', (unit, message) => {
        expect(unitNameProblem(unit)).toMatch(message);
    });
});

describe('egressDropIn', () => {
    test('a service: everything denied but this host', () => {
        expect(egressDropIn('ollama.service')).toEqual({
            ok: true,
            path: '/etc/systemd/system/ollama.service.d/50-ai-workstation-egress.conf',
            text: `# Written by Cockpit's AI workstation page: ollama.service reaches only this host.
# Delete this file (then systemctl daemon-reload and restart the unit) to give it the network back.
[Service]
IPAddressDeny=any
IPAddressAllow=localhost
`,
        });
        expect(DROPIN_FILE_NAME).toBe('50-ai-workstation-egress.conf');
    });

    test('with exceptions from the allowlist parser, once each', () => {
        const result = egressDropIn('llama-server.service', entries('192.168.1.0/24\n2001:db8::53\n198.51.100.7\n'));
        expect(result).toEqual({
            ok: true,
            path: '/etc/systemd/system/llama-server.service.d/50-ai-workstation-egress.conf',
            text: `# Written by Cockpit's AI workstation page: llama-server.service reaches only this host and the addresses below.
# Delete this file (then systemctl daemon-reload and restart the unit) to give it the network back.
[Service]
IPAddressDeny=any
IPAddressAllow=localhost
IPAddressAllow=192.168.1.0/24
IPAddressAllow=2001:db8::53
IPAddressAllow=198.51.100.7
`,
        });
        const twice = egressDropIn('a.service', [...entries('198.51.100.7'), ...entries('198.51.100.7')]);
        expect(twice.ok && twice.text.match(/198\.51\.100\.7/g)).toHaveLength(1);
    });

    test('sockets and slices get their own section', () => {
        const socket = egressDropIn('podman.socket');
        expect(socket.ok && socket.text).toMatch(/^\[Socket\]$/m);
        const slice = egressDropIn('machine.slice');
        expect(slice.ok && slice.text).toMatch(/^\[Slice\]$/m);
        expect(slice.ok && slice.path).toBe('/etc/systemd/system/machine.slice.d/50-ai-workstation-egress.conf');
    });

    test('a template: the drop-in applies to every instance', () => {
        expect(dropInPath('model@.service')).toBe('/etc/systemd/system/model@.service.d/50-ai-workstation-egress.conf');
        expect(egressDropIn('model@.service').ok).toBe(true);
    });

    test('a host name cannot be an exception, and says why', () => {
        expect(egressDropIn('ollama.service', entries('198.51.100.7\nhuggingface.co'))).toEqual({
            ok: false,
            reason: "huggingface.co is a host name: systemd's IPAddressAllow= takes addresses and networks only, it does not resolve names. Allow the host's addresses, or use the host-wide allowlist.",
        });
    });

    test.each<[string, AllowlistEntry]>([
        ['a network of length 0', { kind: 'network', value: '0.0.0.0/0', family: 'ipv4' }],
        ['text that is no address', { kind: 'address', value: '10.0.0.1\nIPAddressAllow=any', family: 'ipv4' }],
        ['a network with host bits', { kind: 'network', value: '10.0.0.1/8', family: 'ipv4' }],
    ])('an exception that is %s is refused', (_name, entry) => {
        expect(exceptionProblem(entry)).toMatch(/is not an address or network that can be allowed/);
        expect(egressDropIn('ollama.service', [entry]).ok).toBe(false);
    });

    test('a bad unit name is refused before anything else', () => {
        expect(egressDropIn('../x.service')).toEqual({ ok: false, reason: expect.stringMatching(/letters, digits/) });
        expect(egressDropIn('x.timer', entries('huggingface.co'))).toEqual({ ok: false, reason: expect.stringMatching(/\.timer unit/) });
    });
});

describe('parseEgressDropIn', () => {
    test('our drop-in reads back as written', () => {
        const exceptions = entries('192.168.1.0/24\n2001:db8::53\n198.51.100.7');
        const result = egressDropIn('ollama.service', exceptions);
        if (!result.ok)
            throw new Error(result.reason);
        expect(parseEgressDropIn(result.text)).toEqual({
            deniesAll: true, allowsLocalhost: true, exceptions, otherAllowed: [], blocksOutbound: true,
        });
        const bare = egressDropIn('podman.socket');
        expect(bare.ok && parseEgressDropIn(bare.text)).toEqual({
            deniesAll: true, allowsLocalhost: true, exceptions: [], otherAllowed: [], blocksOutbound: true,
        });
    });

    test('systemd syntax: several values a line, continuation, comments, an empty assignment resets', () => {
        const text = [
            '; written by hand',
            '[Service]',
            'Environment=A=1',
            'IPAddressAllow=10.0.0.0/8 192.168.0.0/16',
            'IPAddressAllow=',
            'IPAddressAllow = localhost link-local \\',
            '    10.1.2.3/16   2001:DB8::1',
            '# IPAddressAllow=any',
            'IPAddressDeny=0.0.0.0/0',
            'IPAddressDeny=::/0',
            '',
        ].join('\n');
        expect(parseEgressDropIn(text)).toEqual({
            deniesAll: true,
            allowsLocalhost: true,
            exceptions: [
                { kind: 'network', value: '10.1.0.0/16', family: 'ipv4' },
                { kind: 'address', value: '2001:db8::1', family: 'ipv6' },
            ],
            otherAllowed: ['link-local'],
            blocksOutbound: true,
        });
    });

    test('what does not block: nothing denied, only IPv4 denied, or everything allowed back', () => {
        expect(parseEgressDropIn('[Service]\nIPAddressAllow=localhost\n')).toMatchObject({ deniesAll: false, blocksOutbound: false });
        expect(parseEgressDropIn('[Service]\nIPAddressDeny=0.0.0.0/0\n')).toMatchObject({ deniesAll: false, blocksOutbound: false });
        expect(parseEgressDropIn('[Service]\nIPAddressDeny=any\nIPAddressAllow=any\n')).toMatchObject({
            deniesAll: true, blocksOutbound: false, otherAllowed: ['any'],
        });
        expect(parseEgressDropIn('[Service]\nIPAddressDeny=any\nIPAddressDeny=\n')).toMatchObject({ deniesAll: false, blocksOutbound: false });
        expect(parseEgressDropIn('')).toEqual({ deniesAll: false, allowsLocalhost: false, exceptions: [], otherAllowed: [], blocksOutbound: false });
    });

    test.each<[string, RegExp]>([
        ['[Service]\nIPAddressAllow=api.example.com\n', /IPAddressAllow=: "api\.example\.com" is not an address, a network or a keyword/],
        ['[Service]\nIPAddressDeny=everything\n', /IPAddressDeny=: "everything" is not an address/],
        ['[Service]\nIPAddressAllow=10.0.0.0/33\n', /"10\.0\.0\.0\/33" is not an address/],
        ['IPAddressDeny=any\n', /IPAddressDeny= is outside any \[section\]/],
        ['[Service]\nIPAddressDeny any\n', /not a Key=value line: IPAddressDeny any/],
        ['[Service]\n=any\n', /not a Key=value line/],
    ])('%j is a ParseError of systemd', (text, message) => {
        const error = parseErrorOf(() => parseEgressDropIn(text));
        expect(error.tool).toBe('systemd');
        expect(error.message).toMatch(message);
        expect(error.snippet).toBe(text.trim());
    });
});
