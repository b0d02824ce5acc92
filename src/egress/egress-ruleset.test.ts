// The egress table: the text of each mode (its important lines exactly), that nft itself
// accepts every generated ruleset (check only, nothing is loaded), why the admin's sessions
// cannot be cut, and the reading of `nft -j list table inet ai_workstation_egress` as nft
// 1.0.6 printed it in a private network namespace (test/record/record-nft-egress.sh).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { readFixture } from '../../test/unit/fixtures';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { classifyAddress, parseIpAddress } from './address-class';
import { parseAllowlist } from './allowlist';
import {
    EGRESS_FILE, EGRESS_TABLE, EGRESS_UNIT, EGRESS_UNIT_FILE, LOCAL_NETWORKS_V4, LOCAL_NETWORKS_V6, LOG_PREFIX_ALLOWED, LOG_PREFIX_DENIED,
    egressRuleset, egressTableMissing, egressUnit, nameSetsUpdate, parseEgressTable, type EgressRulesetInput,
} from './egress-ruleset';
import { parseNetwork } from './ip-network';

const allowlist = parseAllowlist([
    'api.allowed.test',
    '198.51.100.7',
    '203.0.113.0/25',
    '203.0.113.128/25', // adjacent: nft merges them
    '203.0.113.9', // inside a listed network: auto-merge keeps nft from refusing it
    '2001:db8:a1e6::7',
    '2001:db8:a1e7::/48',
].join('\n')).entries;
const resolvedNames = [
    { name: 'api.allowed.test', addresses: ['198.51.100.8', '2001:db8:a1e6::8', '198.51.100.8'] },
    { name: 'api.openai.com', addresses: ['198.51.100.9'] }, // not in the allowlist
];
const blockedContainers = ['10.216.0.0/24', 'fd42:a1e6:216::/64', '10.88.0.5'];
const enforce: EgressRulesetInput = {
    mode: 'enforce', resolvers: ['198.51.100.53', 'fe80::53%eth0', '127.0.0.53'], allowlist, resolvedNames, blockedContainers,
};

const RULESETS: Record<string, EgressRulesetInput> = {
    'off': { mode: 'off' },
    'off, containers blocked': { mode: 'off', blockedContainers },
    'audit': { mode: 'audit' },
    'audit, containers blocked': { mode: 'audit', blockedContainers },
    'enforce': enforce,
    'enforce, local networks refused too': { ...enforce, allowLocalNetworks: false },
    'enforce with nothing allowed': { mode: 'enforce' },
    'enforce, IPv6 only': { mode: 'enforce', resolvers: ['2001:db8::53'], allowlist: parseAllowlist('2001:db8::/32\nv6.example.com').entries, resolvedNames: [{ name: 'v6.example.com', addresses: ['2001:db8:1::1'] }] },
    'enforce, IPv4 only, containers blocked': { mode: 'enforce', resolvers: ['192.0.2.53'], allowlist: parseAllowlist('192.0.2.0/24').entries, blockedContainers: ['10.89.0.0/24'] },
};

/** The non-comment, non-blank lines, trimmed. */
const statements = (text: string) => text.split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));

/** Each chain's statements (its base-chain line included). */
function chains(text: string): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const match of text.matchAll(/^ {4}chain (\w+) \{\n([\s\S]*?)^ {4}\}$/gm))
        result[match[1]] = statements(match[2]);
    return result;
}

/** A set's elements as written. */
function setElements(text: string, name: string): string[] | undefined {
    const match = new RegExp(`^ {4}set ${name} \\{\\n([\\s\\S]*?)^ {4}\\}$`, 'm').exec(text);
    if (!match)
        return undefined;
    const elements = /elements = \{ (.*) \}/.exec(match[1]);
    return elements ? elements[1].split(', ') : [];
}

describe('every ruleset', () => {
    test.each(Object.entries(RULESETS))('%s: one transaction on our table alone, replacing an older copy', (_name, input) => {
        const text = egressRuleset(input);
        expect(text.split('\n')[0]).toBe('#!/usr/sbin/nft -f');
        const lines = statements(text);
        expect(lines.slice(0, 2)).toEqual(['table inet ai_workstation_egress', 'delete table inet ai_workstation_egress']);
        expect(text).not.toMatch(/flush ruleset|flush table|\bdestroy\b/);
        const tables = lines.filter(line => /^(?:add |delete )?table /.test(line));
        expect(tables.every(line => line === `table inet ${EGRESS_TABLE}` || line === `delete table inet ${EGRESS_TABLE}` || line === `table inet ${EGRESS_TABLE} {`)).toBe(true);
        expect(text.endsWith('\n')).toBe(true);
    });

    test.each(Object.entries(RULESETS))('%s: no chain on the input hook, every rejecting rule only sees new connections', (_name, input) => {
        const text = egressRuleset(input);
        expect(text).not.toMatch(/hook (?:input|prerouting|ingress)/);
        for (const [chain, rules] of Object.entries(chains(text))) {
            for (const rule of rules.filter(r => /\b(?:reject|drop)\b/.test(r))) {
                // new_outbound is entered only through "ct state new jump new_outbound"
                if (chain !== 'new_outbound')
                    expect(rule).toMatch(/\bct state new\b/);
            }
            expect(rules.filter(r => r.includes('policy'))).toEqual(rules.filter(r => r.includes('policy accept;')));
            const jump = rules.findIndex(r => r.includes('jump new_outbound'));
            if (jump >= 0) {
                expect(rules[jump]).toBe('ct state new jump new_outbound');
                // established and related packets (the admin's sessions) are accepted before the jump
                expect(rules.findIndex(r => r.startsWith('ct state established,related accept'))).toBeLessThan(jump);
            }
        }
        for (const rule of Object.values(chains(text)).flat().filter(r => r.includes('jump ')))
            expect(rule).toMatch(/jump new_outbound$/);
    });
});

describe('off', () => {
    test('removes the table, also when it is not there, and nothing else', () => {
        expect(statements(egressRuleset({ mode: 'off' }))).toEqual([
            'table inet ai_workstation_egress',
            'delete table inet ai_workstation_egress',
        ]);
    });

    test('blocked containers stay blocked: only their forward rules remain', () => {
        const text = egressRuleset({ mode: 'off', blockedContainers });
        expect(Object.keys(chains(text))).toEqual(['forward']);
        expect(chains(text).forward).toEqual([
            'type filter hook forward priority filter - 5; policy accept;',
            'ct state established,related accept',
            'ip saddr @blocked_containers_v4 ip daddr != @local_v4 ct state new counter name "containers_blocked" log prefix "aiws-egress-deny: " reject with icmpx admin-prohibited comment "blocked container"',
            'ip6 saddr @blocked_containers_v6 ip6 daddr != @local_v6 ct state new counter name "containers_blocked" log prefix "aiws-egress-deny: " reject with icmpx admin-prohibited comment "blocked container"',
        ]);
        expect(setElements(text, 'blocked_containers_v4')).toEqual(['10.216.0.0/24', '10.88.0.5']);
        expect(setElements(text, 'blocked_containers_v6')).toEqual(['fd42:a1e6:216::/64']);
        expect(text).not.toMatch(/log prefix "aiws-egress: "/);
    });
});

describe('audit', () => {
    const text = egressRuleset({ mode: 'audit' });

    test('logs each new connection to a non-local destination with the uid, and accepts everything', () => {
        expect(LOG_PREFIX_ALLOWED).toBe('aiws-egress: ');
        expect(chains(text)).toEqual({
            output: [
                'type filter hook output priority filter - 5; policy accept;',
                'oif "lo" accept comment "this host itself"',
                'ct state established,related accept comment "every packet of a connection already made, the admin\'s Cockpit and SSH sessions among them"',
                'ct state new jump new_outbound',
            ],
            forward: [
                'type filter hook forward priority filter - 5; policy accept;',
                'ct state established,related accept',
                'ct status dnat accept comment "inbound to a published port"',
                'ct state new jump new_outbound',
            ],
            new_outbound: [
                'tcp flags & (fin | syn | rst | ack) != syn accept comment "not a connection this host starts: picked up mid-stream"',
                'ip daddr @local_v4 accept comment "local networks"',
                'ip6 daddr @local_v6 accept comment "local networks"',
                'counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "audit"',
            ],
        });
        expect(text).not.toMatch(/reject|drop/);
    });

    test('local networks are sets of loopback, RFC 1918, CGNAT, link-local, ULA, multicast', () => {
        expect(setElements(text, 'local_v4')).toEqual([
            '10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16', '224.0.0.0/4', '255.255.255.255',
        ]);
        expect(setElements(text, 'local_v6')).toEqual(['::1', 'fc00::/7', 'fe80::/10', 'fec0::/10', 'ff00::/8']);
        expect(setElements(text, 'allowed_v4')).toBeUndefined();
    });

    test('blocked containers are refused in audit mode too, before anything is accepted', () => {
        const forward = chains(egressRuleset({ mode: 'audit', blockedContainers })).forward;
        expect(forward[2]).toMatch(/^ip saddr @blocked_containers_v4 ip daddr != @local_v4 ct state new .* reject with icmpx admin-prohibited/);
        expect(forward[3]).toMatch(/^ip6 saddr @blocked_containers_v6 ip6 daddr != @local_v6 ct state new .* reject with icmpx admin-prohibited/);
        expect(forward[4]).toBe('ct status dnat accept comment "inbound to a published port"');
    });
});

describe('enforce', () => {
    const text = egressRuleset(enforce);

    test('default deny: DNS to the resolvers, the allowlist, the LAN; the rest of what is new is logged and rejected', () => {
        expect(LOG_PREFIX_DENIED).toBe('aiws-egress-deny: ');
        expect(chains(text).new_outbound).toEqual([
            'tcp flags & (fin | syn | rst | ack) != syn accept comment "not a connection this host starts: picked up mid-stream"',
            'icmpv6 type { nd-router-solicit, nd-neighbor-solicit, nd-neighbor-advert, mld-listener-report, mld2-listener-report } accept comment "IPv6 neighbour discovery"',
            'udp sport 68 udp dport 67 accept comment "DHCP"',
            'udp sport 546 udp dport 547 accept comment "DHCPv6"',
            'ip daddr @local_v4 accept comment "local networks"',
            'ip6 daddr @local_v6 accept comment "local networks"',
            'meta l4proto { tcp, udp } th dport 53 ip daddr @resolvers_v4 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "DNS to the configured resolvers"',
            'meta l4proto { tcp, udp } th dport 53 ip6 daddr @resolvers_v6 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "DNS to the configured resolvers"',
            'ip daddr @allowed_v4 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "allowlist"',
            'ip6 daddr @allowed_v6 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "allowlist"',
            'ip daddr @allowed_names_v4 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "allowlist, host names"',
            'ip6 daddr @allowed_names_v6 counter name "outbound_allowed" log prefix "aiws-egress: " flags skuid accept comment "allowlist, host names"',
            'counter name "outbound_denied" log prefix "aiws-egress-deny: " flags skuid reject with icmpx admin-prohibited comment "default deny"',
        ]);
    });

    test('the sets hold the inputs, canonical and once; a zone is dropped; names no longer allowed are left out', () => {
        expect(setElements(text, 'resolvers_v4')).toEqual(['198.51.100.53', '127.0.0.53']);
        expect(setElements(text, 'resolvers_v6')).toEqual(['fe80::53']);
        expect(setElements(text, 'allowed_v4')).toEqual(['198.51.100.7', '203.0.113.0/25', '203.0.113.128/25', '203.0.113.9']);
        expect(setElements(text, 'allowed_v6')).toEqual(['2001:db8:a1e6::7', '2001:db8:a1e7::/48']);
        expect(setElements(text, 'allowed_names_v4')).toEqual(['198.51.100.8']);
        expect(setElements(text, 'allowed_names_v6')).toEqual(['2001:db8:a1e6::8']);
        expect(setElements(text, 'blocked_containers_v4')).toEqual(['10.216.0.0/24', '10.88.0.5']);
        // interval sets that an admin fills merge overlaps; names' sets are plain, without timeouts
        expect(text).toMatch(/set allowed_v4 \{\n {8}type ipv4_addr\n {8}flags interval\n {8}auto-merge\n/);
        expect(text).toMatch(/set allowed_names_v4 \{\n {8}type ipv4_addr\n {8}elements/);
        expect(text).not.toMatch(/timeout/);
    });

    test('named counters for what was let through, refused, and refused for containers', () => {
        expect(text).toMatch(/counter containers_blocked \{\n {4}\}\n {4}counter outbound_allowed \{\n {4}\}\n {4}counter outbound_denied \{\n {4}\}\n/);
    });

    test('with allowLocalNetworks false the LAN is refused too, but the box keeps its addresses', () => {
        const rules = chains(egressRuleset({ ...enforce, allowLocalNetworks: false })).new_outbound;
        expect(rules.filter(r => r.includes('@local_v'))).toEqual([]);
        expect(rules).toContain('udp sport 68 udp dport 67 accept comment "DHCP"');
        expect(rules).toContain('udp sport 546 udp dport 547 accept comment "DHCPv6"');
        expect(rules.some(r => r.startsWith('icmpv6 type { nd-router-solicit'))).toBe(true);
        expect(rules[rules.length - 1]).toMatch(/reject with icmpx admin-prohibited comment "default deny"$/);
        // the blocked containers' rule is about the outside world only, whatever the LAN setting
        expect(chains(egressRuleset({ ...enforce, allowLocalNetworks: false })).forward[2]).toContain('ip daddr != @local_v4');
    });

    test('local networks are allowed unless said otherwise', () => {
        expect(egressRuleset({ ...enforce, allowLocalNetworks: true })).toBe(text);
    });

    test('enforce with nothing allowed still declares every set, empty', () => {
        const empty = egressRuleset({ mode: 'enforce' });
        for (const set of ['resolvers_v4', 'resolvers_v6', 'allowed_v4', 'allowed_v6', 'allowed_names_v4', 'allowed_names_v6'])
            expect(setElements(empty, set)).toEqual([]);
        expect(setElements(empty, 'blocked_containers_v4')).toBeUndefined();
    });
});

describe('what is not an address never reaches the file', () => {
    test.each<[string, EgressRulesetInput]>([
        ['a resolver', { mode: 'enforce', resolvers: ['192.0.2.53 } ; flush ruleset ; table inet x {'] }],
        ['a resolver name', { mode: 'enforce', resolvers: ['dns.example.com'] }],
        ['a container', { mode: 'off', blockedContainers: ['10.0.0.0/8, 0.0.0.0/0'] }],
        ['a container with host bits', { mode: 'audit', blockedContainers: ['10.88.0.5/16'] }],
        ['an allowlist entry', { mode: 'enforce', allowlist: [{ kind: 'address', value: '0.0.0.0/0 }', family: 'ipv4' }] }],
        ['a resolved address', { mode: 'enforce', allowlist: [{ kind: 'name', value: 'a.example', family: null }], resolvedNames: [{ name: 'a.example', addresses: ['1.2.3.4\n}'] }] }],
    ])('%s', (_name, input) => {
        expect(() => egressRuleset(input)).toThrow(/is not an address or network/);
    });
});

test('nameSetsUpdate refills both name sets in one transaction', () => {
    expect(nameSetsUpdate(allowlist, resolvedNames)).toBe(
        'flush set inet ai_workstation_egress allowed_names_v4\n' +
        'flush set inet ai_workstation_egress allowed_names_v6\n' +
        'add element inet ai_workstation_egress allowed_names_v4 { 198.51.100.8 }\n' +
        'add element inet ai_workstation_egress allowed_names_v6 { 2001:db8:a1e6::8 }\n');
    expect(nameSetsUpdate(allowlist, [])).toBe(
        'flush set inet ai_workstation_egress allowed_names_v4\nflush set inet ai_workstation_egress allowed_names_v6\n');
});

test('the local sets are exactly what address-class.ts calls loopback or local network', () => {
    const toBigInt = (text: string) => {
        const ip = parseIpAddress(text)!;
        const words = ip.family === 4 ? ip.bytes : ip.groups;
        return words.reduce((sum, word) => (sum << BigInt(ip.family === 4 ? 8 : 16)) | BigInt(word), 0n);
    };
    const inSets = (address: string) => [...LOCAL_NETWORKS_V4, ...LOCAL_NETWORKS_V6].some(element => {
        const parsed = parseNetwork(element);
        if (!parsed.ok || (parsed.network.family === 'ipv6') !== address.includes(':'))
            return false;
        const width = parsed.network.family === 'ipv4' ? 32 : 128;
        const shift = BigInt(width - parsed.network.prefix);
        return (toBigInt(address) >> shift) === (toBigInt(parsed.network.value.split('/')[0]) >> shift);
    });
    const samples = [
        '9.255.255.255', '10.0.0.0', '10.255.255.255', '11.0.0.0', '100.63.255.255', '100.64.0.0', '100.127.255.255', '100.128.0.0',
        '126.255.255.255', '127.0.0.1', '128.0.0.0', '169.253.255.255', '169.254.0.1', '169.255.0.0', '172.15.255.255', '172.16.0.0',
        '172.31.255.255', '172.32.0.0', '192.167.255.255', '192.168.1.1', '192.169.0.0', '223.255.255.255', '224.0.0.251',
        '239.255.255.255', '240.0.0.1', '255.255.255.254', '255.255.255.255', '192.0.2.2', '198.51.100.7', '8.8.8.8',
        '::1', '::2', 'fbff::1', 'fc00::1', 'fdff:ffff::1', 'fe00::1', 'fe7f::1', 'fe80::1', 'febf::1', 'fec0::1', 'feff::1', 'ff02::fb',
        '2001:db8::1', '2606:4700:4700::1111',
    ];
    for (const address of samples)
        expect([address, inSets(address)]).toEqual([address, ['loopback', 'local-network'].includes(classifyAddress(address))]);
});

test('egressUnit loads the file before the network and removes only our table on stop', () => {
    expect(EGRESS_UNIT_FILE).toBe(`/etc/systemd/system/${EGRESS_UNIT}`);
    expect(EGRESS_FILE).toBe('/etc/cockpit-ai-workstation/egress.nft');
    expect(egressUnit()).toBe(`# Written by Cockpit's AI workstation page.
[Unit]
Description=Network egress audit and default deny (nftables table ai_workstation_egress)
DefaultDependencies=no
Before=network-pre.target
Wants=network-pre.target
ConditionPathExists=/etc/cockpit-ai-workstation/egress.nft

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f /etc/cockpit-ai-workstation/egress.nft
ExecStop=-/usr/sbin/nft delete table inet ai_workstation_egress

[Install]
WantedBy=multi-user.target
`);
});

describe('nft -c -f - (check only: nothing is loaded, no table changes)', () => {
    const nft = '/usr/sbin/nft';
    const canCheck = fs.existsSync(nft) && process.getuid?.() === 0;
    const skipped = canCheck ? '' : ` (SKIPPED: ${nft} is missing or the tests do not run as root)`;
    const check = (text: string): { ok: boolean, stderr: string } => {
        try {
            execFileSync(nft, ['-c', '-f', '-'], { input: text, stdio: 'pipe' });
            return { ok: true, stderr: '' };
        } catch (ex) {
            return { ok: false, stderr: String((ex as { stderr?: Buffer }).stderr ?? ex) };
        }
    };
    const maybe = canCheck ? test : test.skip;

    maybe.each(Object.entries(RULESETS))(`accepts %s${skipped}`, (_name, input) => {
        expect(check(egressRuleset(input))).toEqual({ ok: true, stderr: '' });
    });

    maybe(`accepts a names refresh after the enforce table${skipped}`, () => {
        expect(check(egressRuleset(enforce) + nameSetsUpdate(allowlist, resolvedNames))).toEqual({ ok: true, stderr: '' });
    });

    maybe.each<[string, (text: string) => string, RegExp]>([
        ['a ct state nft does not know', text => text.replace('ct state new jump', 'ct state nonsense jump'), /nonsense/],
        ['a set that is not declared', text => text.replace('@allowed_v4', '@allowed_v5'), /allowed_v5/],
        ['a missing brace', text => text.replace(/\}\n$/, ''), /syntax error/],
        ['overlapping networks without auto-merge', text => text.replace(/(set allowed_v4 \{\n {8}type ipv4_addr\n {8}flags interval\n) {8}auto-merge\n/, '$1'), /conflicting intervals/],
        ['a destroy statement, which nft 1.0.6 does not have', text => text.replace('delete table', 'destroy table'), /syntax error/],
    ])(`refuses a broken copy: %s${skipped}`, (_name, breakIt, message) => {
        const text = egressRuleset(enforce);
        const broken = breakIt(text);
        expect(broken).not.toBe(text);
        const result = check(broken);
        expect(result.ok).toBe(false);
        expect(result.stderr).toMatch(message);
    });
});

describe('parseEgressTable', () => {
    const fixture = (mode: string) => readFixture(`nft/nft-j-list-table-egress-${mode}-1.0.6.json`);

    test('enforce: the mode, the recorded traffic in the counters, the sets as nft lists them', () => {
        expect(parseEgressTable(fixture('enforce'))).toEqual({
            loaded: true,
            mode: 'enforce',
            allowLocalNetworks: true,
            counters: {
                allowed: { packets: 5, bytes: 314 },
                denied: { packets: 4, bytes: 254 },
                containersBlocked: { packets: 3, bytes: 220 },
            },
            sets: {
                resolvers: ['198.51.100.53', 'fe80::53'],
                allowed: ['198.51.100.7', '203.0.113.0/24', '2001:db8:a1e6::7'],
                allowedNames: ['198.51.100.8', '2001:db8:a1e6::8'],
                blockedContainers: ['10.216.0.0/24', 'fd42:a1e6:216::/64'],
            },
        });
    });

    test('enforce without the LAN: one more refusal (the connection to 10.216.0.2)', () => {
        const state = parseEgressTable(fixture('enforce-no-lan'));
        expect(state.mode).toBe('enforce');
        expect(state.allowLocalNetworks).toBe(false);
        expect(state.counters.denied).toEqual({ packets: 5, bytes: 314 });
        expect(state.counters.allowed).toEqual({ packets: 5, bytes: 314 });
    });

    test('audit: every new connection to the outside counted, nothing refused, no sets of ours', () => {
        expect(parseEgressTable(fixture('audit'))).toEqual({
            loaded: true,
            mode: 'audit',
            allowLocalNetworks: null,
            counters: {
                allowed: { packets: 10, bytes: 628 },
                denied: { packets: 0, bytes: 0 },
                containersBlocked: { packets: 0, bytes: 0 },
            },
            sets: { resolvers: [], allowed: [], allowedNames: [], blockedContainers: [] },
        });
    });

    test('off with blocked containers: the table stays for them alone', () => {
        const state = parseEgressTable(fixture('off-blocked'));
        expect(state).toMatchObject({ loaded: true, mode: 'off', allowLocalNetworks: null });
        expect(state.counters.containersBlocked).toEqual({ packets: 3, bytes: 220 });
        expect(state.sets.blockedContainers).toEqual(['10.216.0.0/24', 'fd42:a1e6:216::/64']);
    });

    test('off: nft fails with nothing on stdout; its stderr says the table is missing', () => {
        expect(readFixture('nft/nft-j-list-table-egress-off-1.0.6.json')).toBe('');
        expect(readFixture('nft/nft-j-list-table-egress-off-1.0.6.exit-code.txt').trim()).toBe('1');
        const stderr = readFixture('nft/nft-j-list-table-egress-off-1.0.6.stderr.txt');
        expect(egressTableMissing(stderr)).toBe(true);
        expect(egressTableMissing('Error: Could not process rule: Operation not permitted\n')).toBe(false);
        expect(egressTableMissing(stderr.replace(/ai_workstation_egress/g, 'ai_workstation_models'))).toBe(false);
        expect(parseErrorOf(() => parseEgressTable('')).message).toMatch(/did not print JSON/);
    });

    type Entry = Record<string, Record<string, unknown>>;
    const variant = (mode: string, change: (entries: Entry[]) => void): string => {
        const json = JSON.parse(fixture(mode)) as { nftables: Entry[] };
        change(json.nftables);
        return JSON.stringify(json);
    };

    test('ranges and elements with options are listed as text', () => {
        const text = variant('enforce', entries => {
            const set = entries.find(e => e.set?.name === 'allowed_v4')!.set;
            set.elem = ['198.51.100.7', { range: ['203.0.113.0', '203.0.113.17'] }, { elem: { val: '192.0.2.1', timeout: 60, expires: 42 } }, { elem: { val: { prefix: { addr: '10.1.0.0', len: 16 } } } }];
        });
        expect(parseEgressTable(text).sets.allowed).toEqual(['198.51.100.7', '203.0.113.0-203.0.113.17', '192.0.2.1', '10.1.0.0/16', '2001:db8:a1e6::7']);
    });

    test('a new_outbound chain that ends neither in a log nor a reject is not a mode of ours', () => {
        const text = variant('enforce', entries => {
            const rules = entries.filter(e => e.rule?.chain === 'new_outbound');
            rules[rules.length - 1].rule.expr = [{ accept: null }];
        });
        expect(parseEgressTable(text).mode).toBe('unknown');
    });

    test('counters, sets and rules of other tables are not ours', () => {
        const text = variant('enforce', entries => {
            for (const entry of entries) {
                for (const kind of ['table', 'counter', 'set', 'rule', 'chain']) {
                    if (entry[kind])
                        entry[kind][kind === 'table' ? 'name' : 'table'] = 'firewalld';
                }
            }
        });
        expect(parseEgressTable(text)).toEqual(parseEgressTable('{"nftables": [{"metainfo": {"version": "1.0.6"}}]}'));
        expect(parseEgressTable(text)).toMatchObject({ loaded: false, mode: 'off', counters: { allowed: { packets: 0 } } });
    });

    test.each([
        ['Error: No such file or directory\n', /did not print JSON/],
        ['{"nftables": [{"metainfo"', /did not print JSON/],
        ['{"rules": []}', /no "nftables" list/],
        ['[]', /no "nftables" list/],
        ['{"nftables": {}}', /no "nftables" list/],
        ['null', /no "nftables" list/],
        ['{"nftables": [null]}', /entry of the "nftables" list is not an object/],
        ['{"nftables": [[]]}', /entry of the "nftables" list is not an object/],
        ['{"nftables": [{"counter": {"table": "ai_workstation_egress", "name": "outbound_denied", "packets": "3", "bytes": 1}}]}', /counter outbound_denied: packets and bytes are not numbers/],
        ['{"nftables": [{"set": {"table": "ai_workstation_egress", "name": "allowed_v4", "elem": "1.2.3.4"}}]}', /set allowed_v4: "elem" is not a list/],
        ['{"nftables": [{"set": {"table": "ai_workstation_egress", "name": "allowed_v4", "elem": [{"weird": 1}]}}]}', /set allowed_v4: an element is neither/],
        ['{"nftables": [{"set": {"table": "ai_workstation_egress", "name": "allowed_v4", "elem": [7]}}]}', /set allowed_v4: an element is neither/],
        ['{"nftables": [{"rule": {"table": "ai_workstation_egress", "chain": "new_outbound", "handle": 9, "expr": {}}}]}', /rule 9: "expr" is not a list/],
        ['{"nftables": [{"rule": {"table": "ai_workstation_egress", "chain": "new_outbound", "handle": 9, "expr": [null]}}]}', /rule 9: "expr" is not a list/],
    ])('%j is a ParseError of nft', (text, message) => {
        const error = parseErrorOf(() => parseEgressTable(text));
        expect(error.tool).toBe('nft');
        expect(error.message).toMatch(message);
        expect(error.snippet).toBe(text.trim());
    });
});
