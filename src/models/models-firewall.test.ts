// The nftables table that keeps model servers from starting connections: its text (and
// that nft itself accepts it), the unit that loads it at boot, and the reading of
// `nft -j list table inet ai_workstation_models` as nft 1.0.6 printed it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFixture } from '../../test/unit/fixtures';
import { parseErrorOf } from '../../test/unit/parse-errors';
import { PRIVATE_INTERFACE } from './model-server';
import {
    FIREWALL_FILE, FIREWALL_TABLE, FIREWALL_UNIT, FIREWALL_UNIT_FILE, firewallRuleset, firewallUnit, parseFirewallListing,
} from './models-firewall';

const recorded = readFixture('nft/nft-j-list-table-models-1.0.6.json');

/** The recorded listing with its JSON changed. */
const variant = (change: (entries: Record<string, Record<string, unknown>>[]) => void): string => {
    const json = JSON.parse(recorded) as { nftables: Record<string, Record<string, unknown>>[] };
    change(json.nftables);
    return JSON.stringify(json);
};

/** The non-comment, non-blank lines of the ruleset, trimmed. */
const statements = (text: string) => text.split('\n').map(line => line.trim()).filter(line => line !== '' && !line.startsWith('#'));

describe('firewallRuleset', () => {
    const text = firewallRuleset();

    test('names our table and interface', () => {
        expect(FIREWALL_TABLE).toBe('ai_workstation_models');
        expect(PRIVATE_INTERFACE).toBe('aiwsm0');
    });

    test('replaces an older copy of our table in the same transaction, touching nothing else', () => {
        const lines = statements(text);
        expect(lines.slice(0, 3)).toEqual([
            'table inet ai_workstation_models',
            'delete table inet ai_workstation_models',
            'table inet ai_workstation_models {',
        ]);
        // no "flush ruleset": firewalld's and podman's tables are not ours
        expect(text).not.toMatch(/flush ruleset|flush table/);
        const tables = lines.filter(line => /^(?:add |delete )?table /.test(line));
        expect(tables.every(line => line.includes(`inet ${FIREWALL_TABLE}`))).toBe(true);
        expect(text.match(/^table inet ai_workstation_models \{$/gm)).toHaveLength(1);
    });

    test('starts with the nft interpreter line, so the file runs on its own', () => {
        expect(text.split('\n')[0]).toBe('#!/usr/sbin/nft -f');
        expect(text.endsWith('}\n')).toBe(true);
    });

    test('forward and input each refuse new connections from the interface, with a counter', () => {
        const lines = statements(text);
        const hooks = lines.filter(line => line.startsWith('type filter hook'));
        expect(hooks).toEqual([
            'type filter hook forward priority filter - 10; policy accept;',
            'type filter hook input priority filter - 10; policy accept;',
        ]);
        const rules = lines.filter(line => line.startsWith('iifname'));
        expect(rules).toEqual([
            'iifname "aiwsm0" ct state new counter reject with icmpx admin-prohibited comment "outbound from model servers"',
            'iifname "aiwsm0" ct state new counter reject with icmpx admin-prohibited comment "model servers to this host"',
        ]);
        // policy accept: only what starts on aiwsm0 is matched, everything else is someone else's business
        expect(lines.filter(line => /policy drop|\bdrop\b/.test(line))).toEqual([]);
    });

    const nft = '/usr/sbin/nft';
    const canCheck = fs.existsSync(nft) && process.getuid?.() === 0;
    (canCheck ? test : test.skip)(
        canCheck ? 'nft -c -f accepts it' : `nft -c -f accepts it (SKIPPED: ${nft} is missing or the tests do not run as root)`,
        () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-nft-'));
            try {
                const file = path.join(dir, 'models.nft');
                fs.writeFileSync(file, text);
                // -c: check only, nothing is loaded
                expect(() => execFileSync(nft, ['-c', '-f', file], { stdio: 'pipe' })).not.toThrow();
                // and the check does fail on a broken copy, so the assertion above means something
                fs.writeFileSync(file, text.replace('ct state new', 'ct state nonsense'));
                expect(() => execFileSync(nft, ['-c', '-f', file], { stdio: 'pipe' })).toThrow();
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
});

test('firewallUnit loads the file early at boot and removes only our table on stop', () => {
    expect(FIREWALL_UNIT_FILE).toBe(`/etc/systemd/system/${FIREWALL_UNIT}`);
    expect(FIREWALL_FILE).toBe('/etc/cockpit-ai-workstation/models.nft');
    expect(firewallUnit()).toBe(`# Written by Cockpit's AI workstation page.
[Unit]
Description=Refuse outbound connections from local model servers (nftables table ai_workstation_models)
DefaultDependencies=no
Before=network-pre.target
Wants=network-pre.target
ConditionPathExists=/etc/cockpit-ai-workstation/models.nft

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f /etc/cockpit-ai-workstation/models.nft
ExecStop=-/usr/sbin/nft delete table inet ai_workstation_models

[Install]
WantedBy=multi-user.target
`);
});

describe('parseFirewallListing', () => {
    test('the recorded table: loaded, no refusals yet, both rules', () => {
        expect(parseFirewallListing(recorded)).toEqual({
            loaded: true,
            refusedOutbound: 0,
            refusedToHost: 0,
            rules: [
                'forward: iifname "aiwsm0" ct state new reject (outbound from model servers)',
                'input: iifname "aiwsm0" ct state new reject (model servers to this host)',
            ],
        });
    });

    test('counters are read per chain', () => {
        const text = variant(entries => {
            for (const entry of entries) {
                const rule = entry.rule as { chain: string, expr: { counter?: { packets: number, bytes: number } }[] } | undefined;
                const counter = rule?.expr.find(e => e.counter)?.counter;
                if (rule && counter)
                    Object.assign(counter, rule.chain === 'forward' ? { packets: 17, bytes: 1020 } : { packets: 3, bytes: 180 });
            }
        });
        const state = parseFirewallListing(text);
        expect(state.refusedOutbound).toBe(17);
        expect(state.refusedToHost).toBe(3);
        expect(state.loaded).toBe(true);
    });

    test('a table that lost a rule is not "loaded": the promise would be half kept', () => {
        const text = variant(entries => {
            entries.splice(entries.findIndex(e => (e.rule as { chain?: string } | undefined)?.chain === 'input'), 1);
        });
        const state = parseFirewallListing(text);
        expect(state.loaded).toBe(false);
        expect(state.rules).toEqual(['forward: iifname "aiwsm0" ct state new reject (outbound from model servers)']);
    });

    test('a rule on another interface does not count', () => {
        const text = variant(entries => {
            for (const entry of entries) {
                const rule = entry.rule as { expr: { match?: { right: unknown } }[] } | undefined;
                const match = rule?.expr[0].match;
                if (match)
                    match.right = 'podman0';
            }
        });
        expect(parseFirewallListing(text)).toEqual({ loaded: false, refusedOutbound: 0, refusedToHost: 0, rules: [] });
    });

    test('rules of another table are not ours', () => {
        const text = variant(entries => {
            for (const entry of entries) {
                if (entry.rule)
                    entry.rule.table = 'firewalld';
            }
        });
        expect(parseFirewallListing(text).loaded).toBe(false);
        expect(parseFirewallListing(text).rules).toEqual([]);
    });

    test('only the metainfo (an empty listing): not loaded', () => {
        const text = variant(entries => entries.splice(1));
        expect(parseFirewallListing(text)).toEqual({ loaded: false, refusedOutbound: 0, refusedToHost: 0, rules: [] });
    });

    test.each([
        ['Error: No such file or directory\nlist table inet ai_workstation_models\n', /did not print JSON/],
        ['{"nftables": [{"metainfo"', /did not print JSON/],
        ['', /did not print JSON/],
        ['{"rules": []}', /no "nftables" list/],
        ['[]', /no "nftables" list/],
        ['{"nftables": {}}', /no "nftables" list/],
        ['null', /no "nftables" list/],
        ['{"nftables": [null, 3]}', /entry of the "nftables" list is not an object/],
        ['{"nftables": [{"rule": {"table": "ai_workstation_models", "chain": "forward", "handle": 3, "expr": {}}}]}', /rule 3: "expr" is not a list/],
        ['{"nftables": [{"rule": {"table": "ai_workstation_models", "chain": "input", "handle": 4, "expr": [null]}}]}', /rule 4: "expr" is not a list/],
    ])('%j is a ParseError of nft', (text, message) => {
        const error = parseErrorOf(() => parseFirewallListing(text));
        expect(error.tool).toBe('nft');
        expect(error.message).toMatch(message);
        expect(error.snippet).toBe(text.trim());
    });
});
