// The host side of the egress table against the scripted cockpit.js: the order of check,
// write, load and boot unit, and the roll-back of the boot file when nft refuses the load.
import { files, onSpawn, resetFake, spawnCalls, type SpawnCall } from '../../test/unit/fake-cockpit';
import { primeHostRoot, resetHostRoot } from '../../pkg/lib/host-root';
import { applyEgress, readEgressTable, ALLOWLIST_FILE } from './egress-client';
import { EGRESS_FILE, EGRESS_UNIT, EGRESS_UNIT_FILE, NAMES_SCRIPT, NAMES_SERVICE, NAMES_TIMER } from './egress-ruleset';
import { parseAllowlist } from './allowlist';
import { readFixture } from '../../test/unit/fixtures';

const ROOT = '/tmp/aiws-root';

function exitWith(call: SpawnCall, status: number, message: string) {
    call.finish({ error: { problem: null, exit_status: status, message } as never });
}

let refuseLoad = false;
beforeEach(() => {
    resetFake();
    resetHostRoot();
    primeHostRoot(ROOT);
    refuseLoad = false;
    files.set(`${ROOT}/etc/resolv.conf`, 'nameserver 203.0.113.53\nnameserver fe80::1%eth0\n');
    onSpawn(call => {
        const [tool, ...args] = call.argv;
        if (tool === 'nft' && args[0] === '-c')
            return call.finish({ stdout: '' });
        if (tool === 'nft' && args[0] === '-f')
            return refuseLoad ? exitWith(call, 1, 'Error: Could not process rule: Operation not supported') : call.finish({ stdout: '' });
        if (tool === 'mkdir' || tool === 'systemctl')
            return call.finish({ stdout: '' });
        if (tool === '/bin/sh' && call.argv.includes('forward'))
            return call.finish({ stdout: 'key\tallowed.example.net\nanswer\t203.0.113.20    STREAM allowed.example.net\nanswer\t203.0.113.20    DGRAM\nkey\tgone.example.net\nend\t\n' });
        call.finish({ error: { problem: 'not-found', message: `no fake for ${tool}` } });
    });
});

const commands = () => spawnCalls.map(call => call.argv[0] === '/bin/sh' ? `sh ${call.argv.slice(4).join(' ')}` : call.argv.join(' '));

test('default deny: names resolved, ruleset checked, written, loaded, then the boot unit enabled', async () => {
    const result = await applyEgress({
        mode: 'enforce', allowlist: parseAllowlist('allowed.example.net\ngone.example.net\n').entries, blockedContainers: [], allowLocalNetworks: true,
    });
    expect(commands()).toEqual([
        'sh forward allowed.example.net gone.example.net',
        'nft -c -f /dev/stdin',
        `mkdir -p -m 0755 ${ROOT}/etc/cockpit-ai-workstation`,
        `nft -f ${ROOT}${EGRESS_FILE}`,
        `mkdir -p -m 0755 ${ROOT}/etc/systemd/system`,
        'systemctl daemon-reload',
        `systemctl enable ${EGRESS_UNIT}`,
        // default deny with host names: their addresses are refreshed on the host
        `systemctl enable ${NAMES_TIMER}`,
    ]);
    expect(files.get(`${ROOT}${NAMES_SCRIPT}`)).toContain("# Default deny's host names, refreshed on the host");
    expect(files.get(`${ROOT}/etc/systemd/system/${NAMES_TIMER}`)).toContain('OnUnitActiveSec=10min');
    expect(files.get(`${ROOT}/etc/systemd/system/${NAMES_SERVICE}`)).toContain(`ExecStart=/bin/sh ${NAMES_SCRIPT}`);
    expect(spawnCalls[1].input).toBe(result.ruleset);
    expect(result.ruleset).toContain('elements = { 203.0.113.20 }');
    expect(result.ruleset).toContain('elements = { 203.0.113.53 }');
    expect(files.get(`${ROOT}${EGRESS_FILE}`)).toBe(result.ruleset);
    expect(files.get(`${ROOT}${ALLOWLIST_FILE}`)).toBe('allowed.example.net\ngone.example.net\n');
    expect(files.get(`${ROOT}${EGRESS_UNIT_FILE}`)).toContain(EGRESS_FILE);
    expect(result.unresolvedNames).toEqual(['gone.example.net']);
    expect(result.bootWarning).toBeNull();
});

test('nft refusing the load puts the previous boot file back and keeps the allowlist file', async () => {
    files.set(`${ROOT}${EGRESS_FILE}`, 'the previous ruleset\n');
    files.set(`${ROOT}${ALLOWLIST_FILE}`, 'old.example.net\n');
    refuseLoad = true;
    await expect(applyEgress({ mode: 'audit', allowlist: [], blockedContainers: [], allowLocalNetworks: true }))
        .rejects.toThrow('Operation not supported');
    expect(files.get(`${ROOT}${EGRESS_FILE}`)).toBe('the previous ruleset\n');
    expect(files.get(`${ROOT}${ALLOWLIST_FILE}`)).toBe('old.example.net\n');
    expect(commands()).not.toContain('systemctl daemon-reload');
});

test('audit mode: the names timer is disabled (there are no name sets to refresh)', async () => {
    await applyEgress({ mode: 'audit', allowlist: parseAllowlist('allowed.example.net\n').entries, blockedContainers: [], allowLocalNetworks: true });
    expect(commands().slice(-1)).toEqual([`systemctl disable ${NAMES_TIMER}`]);
});

test('no table is "off"; the recorded listing of audit mode is audit', async () => {
    onSpawn(call => exitWith(call, 1, readFixture('nft/nft-j-list-table-egress-off-1.0.6.stderr.txt')));
    expect(await readEgressTable()).toMatchObject({ loaded: false, mode: 'off' });
    onSpawn(call => call.finish({ stdout: readFixture('nft/nft-j-list-table-egress-audit-1.0.6.json') }));
    expect(await readEgressTable()).toMatchObject({ loaded: true, mode: 'audit' });
});
