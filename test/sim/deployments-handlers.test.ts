/** @jest-environment node */
// Tests of the simulated rpm-ostree, ostree, bootc and systemctl (test/sim/tools/*.mjs on
// test/sim/deployments-state.mjs): every action changes the state and the files under the
// root prefix like the real tools, prints what the recordings print, parses with the page's
// own status parsers (roles included), fails without changing anything, refuses non-root
// callers, and a transaction from elsewhere blocks the others until it ends or is cancelled.
// Every tool call is a separate process started from <state>/bin, as the bridge starts them.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRpmOstreeStatus } from '../../src/deployments/rpm-ostree-status-parser';
import { parseBootcStatus } from '../../src/deployments/bootc-status-parser';
import type { DeploymentsStatus } from '../../src/deployments/deployment';
import { parseRpmOstreeUpdateCheck } from '../../src/deployments/update-check-parser';
import { parseBootcUpgradeCheck } from '../../src/deployments/bootc-upgrade-check-parser';
import { parseDbDiff } from '../../src/deployments/package-diff-parser';
import { parseKargs, parseProcCmdline } from '../../src/deployments/kargs-parser';
import { classifyTransactionLine, transactionInProgress } from '../../src/deployments/transaction-output';
import { StatePool, VIEWER, runTool, type Prepared, type Run } from './sim-pool';

const SIM = __dirname;
const FIXTURES = path.resolve(SIM, '..', 'fixtures');
// a 3.4 s upgrade takes 34 ms at this scale
const FAST = '0.01';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-deploy-test-'));
    // the viewer user must traverse it
    fs.chmodSync(tmp, 0o755);
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }) });

// Fresh states are prepared ahead, in parallel (each takes most of a second: its bin/ links
// every executable of the machine); a test takes one, or prepares one if none is left.
const POOL_SIZES: Record<string, number> = {
    'healthy': 3, 'update-available': 10, 'upgrade-fails': 1, 'container-origin': 2,
    'transaction-running': 4, 'bootc': 3, 'bootc-only': 3,
};
let scratchScenarios: string;
let pool: StatePool;
beforeAll(async () => {
    scratchScenarios = fs.mkdtempSync(path.join(tmp, 'scenarios-'));
    fs.mkdirSync(path.join(scratchScenarios, 'h/commands/rpm-ostree'), { recursive: true });
    fs.writeFileSync(path.join(scratchScenarios, 'h/scenario.json'), JSON.stringify({ description: 'recorded upgrade failure' }));
    fs.writeFileSync(path.join(scratchScenarios, 'h/commands/rpm-ostree/index.json'), JSON.stringify([
        { argv: ['status', '--json'], stdout: '@fixtures/rpm-ostree/puptoo-silverblue33-layered-override-replace.json' },
        { argv: ['upgrade'], stderr: '@fixtures/rpm-ostree/upgrade-error-depsolve-nvidia-cuda-kinoite41-rpmostree5195.txt', exit: 1 },
    ]));
    pool = new StatePool(tmp);
    await pool.fill([...Object.entries(POOL_SIZES).map(([n, c]): [string, number] => [n, c]), ['h', 1, scratchScenarios]]);
}, 60000);

function prepared(name: string, scenariosDir?: string): Prepared {
    return pool.take(name, scenariosDir);
}

const isRoot = process.getuid!() === 0;
const viewerExists = spawnSync('id', ['-u', VIEWER]).status === 0;
if (isRoot && !viewerExists)
    spawnSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', VIEWER]);
const canRunAsViewer = isRoot && spawnSync('id', ['-u', VIEWER]).status === 0;

function run(p: Prepared, tool: string, args: string[], { viewer = false, scale = FAST } = {}): Run {
    return runTool(p, tool, args, { viewer, scale });
}

/** rpm-ostree status --json, parsed by the page's parser (which throws on anything it rejects). */
function rpmStatus(p: Prepared, opts = {}): DeploymentsStatus {
    const r = run(p, 'rpm-ostree', ['status', '--json'], opts);
    expect([r.status, r.stderr]).toEqual([0, '']);
    return parseRpmOstreeStatus(r.stdout);
}

function bootcStatus(p: Prepared): DeploymentsStatus {
    const r = run(p, 'bootc', ['status', '--json']);
    expect([r.status, r.stderr]).toEqual([0, '']);
    return parseBootcStatus(r.stdout);
}

/** Every file, directory and link under the root's ostree and run/ostree, with link targets and file contents. */
function rootTree(p: Prepared): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string, rel: string) => {
        if (!fs.existsSync(dir)) return;
        for (const ent of fs.readdirSync(dir, { withFileTypes: true })) {
            const abs = path.join(dir, ent.name);
            const r = `${rel}/${ent.name}`;
            if (ent.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(abs)}`;
            else if (ent.isDirectory()) { out[r] = 'dir'; walk(abs, r) }
            else out[r] = fs.readFileSync(abs, 'utf8');
        }
    };
    walk(path.join(p.root, 'ostree'), 'ostree');
    walk(path.join(p.root, 'run/ostree'), 'run/ostree');
    return out;
}

function deployDir(p: Prepared, osname: string): string[] {
    return fs.readdirSync(path.join(p.root, 'ostree/deploy', osname, 'deploy')).sort();
}

function repoTmp(p: Prepared): string[] {
    return fs.readdirSync(path.join(p.root, 'ostree/repo/tmp'));
}

const brief = (s: DeploymentsStatus) => s.deployments.map(d => ({ version: d.version, booted: d.booted, staged: d.staged, pinned: d.pinned, roles: d.roles }));
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function until(what: string, ok: () => boolean, ms = 8000) {
    for (const end = Date.now() + ms; !ok();) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await sleep(20);
    }
}

// ---- status and the root prefix -------------------------------------------------------------

// healthy, for the tests that change nothing (preparing a state takes a while)
let healthyState: Prepared | null = null;
function healthy(): Prepared {
    healthyState = healthyState ?? prepared('healthy');
    return healthyState;
}

describe('status and the files under the root', () => {
    test('healthy: the recorded status seeds the state; the root gets the deployments, their origins and boot.0', () => {
        const p = healthy();
        const s = rpmStatus(p);
        expect(brief(s)).toEqual([
            { version: '33.21', booted: true, staged: false, pinned: false, roles: ['default'] },
            { version: '33.17', booted: false, staged: false, pinned: false, roles: ['rollback-target'] },
        ]);
        expect(s.transaction).toBeNull();
        expect(fs.existsSync(path.join(p.state, 'scenario/commands/rpm-ostree/status.json'))).toBe(true);
        const recorded = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'rpm-ostree/puptoo-silverblue33-layered-override-replace.json'), 'utf8'));
        const printed = run(p, 'rpm-ostree', ['status', '--json']).stdout;
        // json-glib's layout, the recorded content (huge integers of the commit metadata kept exactly)
        expect(printed).toMatch(/^\{\n {2}"deployments" : \[\n/);
        expect(printed).toContain('"timestamp" : -2945197617627267072');
        expect(printed).not.toContain('aiws-sim');
        expect(JSON.parse(printed).deployments.map((d: { id: string }) => d.id)).toEqual(recorded.deployments.map((d: { id: string }) => d.id));
        expect(deployDir(p, 'fedora-silverblue')).toEqual([
            '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb.0', '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb.0.origin',
            '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072.0', '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072.0.origin',
        ]);
        const origin = fs.readFileSync(path.join(p.root, 'ostree/deploy/fedora-silverblue/deploy/63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb.0.origin'), 'utf8');
        expect(origin).toMatch(/^\[origin\]\nrefspec=fedora\/33\/x86_64\/silverblue\n\n\[packages\]\nrequested=xsel;gdb;/);
        expect(fs.readlinkSync(path.join(p.root, 'ostree/boot.0'))).toBe('boot.0.0');
        expect(fs.existsSync(path.join(p.root, 'ostree/boot.1'))).toBe(false);
        expect(fs.existsSync(path.join(p.root, 'run/ostree'))).toBe(true);
        expect(fs.existsSync(path.join(p.root, 'run/ostree/staged-deployment'))).toBe(false);
    });

    test('bootc: rpm-ostree and bootc tell the same deployments; the seed prints as recorded', () => {
        const p = prepared('bootc');
        expect(run(p, 'bootc', ['status', '--json']).stdout).toBe(fs.readFileSync(path.join(FIXTURES, 'rpm-ostree/insights-image-mode-rhel94-bootc-status.json'), 'utf8'));
        expect(run(p, 'bootc', ['status', '--format=json']).stdout).toBe(run(p, 'bootc', ['status', '--json']).stdout);
        const r = rpmStatus(p);
        const b = bootcStatus(p);
        expect(b.deployments.map(d => [d.checksum, d.booted])).toEqual(r.deployments.map(d => [d.checksum, d.booted]));
        // stateroot "default" and boot.1 from the recorded /proc/cmdline
        expect(fs.readlinkSync(path.join(p.root, 'ostree/boot.1'))).toBe('boot.1.0');
        expect(deployDir(p, 'default')).toContain('bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2.0.origin');
        expect(fs.readFileSync(path.join(p.root, 'ostree/deploy/default/deploy/bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2.0.origin'), 'utf8'))
            .toBe('[origin]\ncontainer-image-reference=ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest\n');
        // rpm-ostree kargs: the recorded /proc/cmdline without the bootloader's BOOT_IMAGE
        const cmdline = fs.readFileSync(path.join(FIXTURES, 'kargs-cmdline/proc-cmdline-rhel94-image-mode.txt'), 'utf8');
        expect(run(p, 'rpm-ostree', ['kargs']).stdout).toBe(`${cmdline.trim().split(' ').filter(w => !w.startsWith('BOOT_IMAGE=')).join(' ')}\n`);
    });

    test('an exact index.json entry still wins over the state', () => {
        const p = prepared('h', scratchScenarios);
        const r = run(p, 'rpm-ostree', ['upgrade']);
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(fs.readFileSync(path.join(FIXTURES, 'rpm-ostree/upgrade-error-depsolve-nvidia-cuda-kinoite41-rpmostree5195.txt'), 'utf8'));
        expect(rpmStatus(p).deployments).toHaveLength(2);
    });
});

// ---- checking and updating --------------------------------------------------------------------

describe('rpm-ostree upgrade', () => {
    test('no update: --check and --preview say so with exit 77, a plain upgrade exits 0', () => {
        const p = healthy();
        for (const flag of ['--check', '--preview']) {
            const r = run(p, 'rpm-ostree', ['upgrade', flag]);
            expect(r.status).toBe(77);
            expect(r.stdout).toMatch(/Note: --check and --preview may be unreliable\. {2}See https:\/\/github\.com\/coreos\/rpm-ostree\/issues\/1579\nNo updates available\.\n$/);
        }
        const u = run(p, 'rpm-ostree', ['upgrade']);
        expect([u.status, u.stdout.endsWith('No upgrade available.\n')]).toEqual([0, true]);
        expect(rpmStatus(p).deployments).toHaveLength(2);
    });

    test('--check and --preview show the update and its packages; the cached update is in the status', () => {
        const p = prepared('update-available');
        const c = run(p, 'rpm-ostree', ['upgrade', '--check']);
        expect(c.status).toBe(0);
        expect(c.stdout).toContain('AvailableUpdate:\n        Version: 33.20210301.0 (2021-03-01T00:00:00Z)\n         Commit: e4ea234dd38d7c5b178ee8e962d70340429a2c451f7ffdd5713e784a33ca400f\n           Diff: 7 upgraded, 1 added\n');
        const v = run(p, 'rpm-ostree', ['upgrade', '--preview']);
        expect(v.status).toBe(0);
        expect(v.stdout).toContain('       Upgraded: akmod-nvidia 3:570.124.04-1.fc33 -> 3:570.133.07-1.fc33\n');
        expect(v.stdout).toContain('                 kernel 5.9.11-200.fc33 -> 5.10.19-200.fc33\n');
        expect(v.stdout).toContain('          Added: kernel-modules-extra-5.10.19-200.fc33.x86_64\n');
        const s = rpmStatus(p);
        expect(s.cachedUpdate).toMatchObject({ version: '33.20210301.0', checksum: 'e4ea234dd38d7c5b178ee8e962d70340429a2c451f7ffdd5713e784a33ca400f', refHasNewCommit: true });
        // nothing deployed by a check
        expect(s.deployments).toHaveLength(2);
    });

    test('upgrade streams its progress, stages on top keeping layered packages, and reboot boots it', async () => {
        const p = prepared('update-available');
        const before = rpmStatus(p);
        // streamed: the first progress line arrives while the transaction still runs
        const child = spawn(path.join(p.state, 'bin/rpm-ostree'), ['upgrade'], { env: { ...p.env, AIWS_SIM_TIME_SCALE: '0.2' } });
        let out = '';
        let firstChunkWhileRunning = false;
        child.stdout.on('data', (d: Buffer) => {
            if (!out && child.exitCode === null) firstChunkWhileRunning = true;
            out += d.toString();
        });
        const exit = await new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        await sleep(20);
        expect(exit).toBe(0);
        expect(firstChunkWhileRunning).toBe(true);
        expect(out).toMatch(/^Receiving metadata objects: 0\/\(estimating\) -\/s 0 bytes\.\.\. done\nReceiving objects; 10% \(115\/1146\) /);
        expect(out).toContain('Receiving objects; 100% (1146/1146) ');
        expect(out).toContain('... done\nStaging deployment... done\nUpgraded:\n  akmod-nvidia 3:570.124.04-1.fc33 -> 3:570.133.07-1.fc33\n');
        expect(out.endsWith('Added:\n  kernel-modules-extra-5.10.19-200.fc33.x86_64\nRun "systemctl reboot" to start a reboot\n')).toBe(true);

        const s = rpmStatus(p);
        expect(brief(s)).toEqual([
            { version: '33.20210301.0', booted: false, staged: true, pinned: false, roles: ['default', 'pending'] },
            { version: '33.21', booted: true, staged: false, pinned: false, roles: [] },
            { version: '33.17', booted: false, staged: false, pinned: false, roles: [] },
        ]);
        expect(s.rollback).toEqual({ kind: 'blocked-by-staged', stagedIndex: 0 });
        const staged = s.deployments[0];
        expect(staged.layering.requested).toEqual(before.deployments[0].layering.requested);
        expect(staged.overrides.local).toEqual(before.deployments[0].overrides.local);
        expect(staged.base?.checksum).toBe('e4ea234dd38d7c5b178ee8e962d70340429a2c451f7ffdd5713e784a33ca400f');
        expect(staged.kernel).toEqual({ version: '5.10.19-200.fc33.x86_64', source: 'base-commit' });
        expect(staged.id).toBe(`fedora-silverblue-${staged.checksum}.0`);
        expect(deployDir(p, 'fedora-silverblue')).toContain(`${staged.checksum}.0.origin`);
        expect(fs.existsSync(path.join(p.root, 'run/ostree/staged-deployment'))).toBe(true);
        expect(repoTmp(p)).toEqual([]);
        // a staged deployment is not in the bootloader yet
        expect(fs.readlinkSync(path.join(p.root, 'ostree/boot.0'))).toBe('boot.0.0');

        // the rpm-ostree diff against the pending deployment
        const d = run(p, 'rpm-ostree', ['db', 'diff']);
        expect(d.stdout).toMatch(/^ostree diff commit from: booted deployment \(63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb\)\nostree diff commit to: {3}pending deployment \([0-9a-f]{64}\)\nUpgraded:\n/);

        const r = run(p, 'systemctl', ['reboot']);
        expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
        const after = rpmStatus(p);
        expect(brief(after)).toEqual([
            { version: '33.20210301.0', booted: true, staged: false, pinned: false, roles: ['default'] },
            { version: '33.21', booted: false, staged: false, pinned: false, roles: ['rollback-target'] },
        ]);
        expect(after.cachedUpdate).toBeNull();
        expect(fs.readFileSync(path.join(p.root, 'proc/sys/kernel/osrelease'), 'utf8')).toBe('5.10.19-200.fc33.x86_64\n');
        expect(fs.existsSync(path.join(p.root, 'run/ostree/staged-deployment'))).toBe(false);
        expect(fs.readlinkSync(path.join(p.root, 'ostree/boot.1'))).toBe('boot.1.0');
        expect(fs.existsSync(path.join(p.root, 'ostree/boot.0'))).toBe(false);
        // the old rollback (33.17) went at finalisation
        expect(deployDir(p, 'fedora-silverblue').filter(n => n.startsWith('775d54'))).toEqual([]);
        const log = fs.readFileSync(path.join(p.state, 'log.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
        expect(log.filter(l => l.tool === 'systemctl')).toEqual([expect.objectContaining({ argv: ['reboot'], admin: isRoot, exit: 0 })]);
        // nothing new now
        expect(run(p, 'rpm-ostree', ['upgrade', '--check']).status).toBe(77);
    });

    test('upgrade-fails: the pull stops at 68% with the recorded timeout error and nothing changes', () => {
        const p = prepared('upgrade-fails');
        rpmStatus(p);
        const tree = rootTree(p);
        const before = run(p, 'rpm-ostree', ['status', '--json']).stdout;
        const r = run(p, 'rpm-ostree', ['upgrade']);
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/Receiving objects; 68% \(779\/1146\) .*\.\.\. done\n$/);
        expect(r.stderr).toBe('error: While pulling fedora/33/x86_64/silverblue: While fetching https://d2uk5hbyrobdzx.cloudfront.net/objects/ed/f807129eb942dd7165de083d803cfc85712c9f08985fada540cccb9276e125.filez: [28] Timeout was reached\n');
        expect(run(p, 'rpm-ostree', ['status', '--json']).stdout).toBe(before);
        expect(rootTree(p)).toEqual(tree);
        expect(repoTmp(p)).toEqual([]);
    });

    test('container-origin: the image pull, a new digest staged, and a reboot into it', () => {
        const p = prepared('container-origin');
        const r = run(p, 'rpm-ostree', ['upgrade']);
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^Pulling manifest: ostree-remote-image:fedora:registry:quay\.io\/fedora\/fedora-coreos:testing\nImporting: ostree-remote-image:fedora:registry:quay\.io\/fedora\/fedora-coreos:testing \(digest: sha256:867f4b80[0-9a-f]+\)\n/);
        expect(r.stdout).toMatch(/\nostree chunk layers stored: 60 needed: 5 \(886\.3 MB\)\nFetching ostree chunk sha256:[0-9a-f]{12} \(177\.3 MB\)\nFetched ostree chunk /);
        expect(r.stdout).toContain('Upgraded:\n  kernel 6.12.7-200.fc41 -> 6.12.9-200.fc41\n');
        const s = rpmStatus(p);
        expect(s.deployments[0]).toMatchObject({
            staged: true, version: '41.20250117.2.0', imageDigest: 'sha256:867f4b805c2c4dc60c3cb5eb7e4ac092548de86e9b39af3316702babd7a4fbe6',
            kernel: { version: '6.12.9-200.fc41.x86_64', source: 'image-label' },
            origin: { kind: 'container-image', verification: { kind: 'ostree-remote', remote: 'fedora' }, image: 'quay.io/fedora/fedora-coreos:testing' },
        });
        expect(fs.readFileSync(path.join(p.root, 'ostree/deploy/fedora-coreos/deploy', `${s.deployments[0].checksum}.0.origin`), 'utf8'))
            .toBe('[origin]\ncontainer-image-reference=ostree-remote-image:fedora:registry:quay.io/fedora/fedora-coreos:testing\n');
        // deploy by version is not for image origins
        const d = run(p, 'rpm-ostree', ['deploy', '41.20250105.2.0']);
        expect([d.status, d.stderr]).toEqual([1, 'error: Cannot look up version while tracking a container image reference\n']);
        run(p, 'systemctl', ['reboot']);
        expect(brief(rpmStatus(p)).map(d => [d.version, d.booted, d.roles])).toEqual([['41.20250117.2.0', true, ['default']], ['41.20250105.2.0', false, ['rollback-target']]]);
        expect(fs.readFileSync(path.join(p.root, 'proc/sys/kernel/osrelease'), 'utf8')).toBe('6.12.9-200.fc41.x86_64\n');
    });
});

// ---- rollback, deploy, rebase, cleanup, pins -----------------------------------------------------

describe('rollback, deploy, rebase, cleanup and pins', () => {
    test('rollback swaps default and rollback, twice back again; refused while staged, and with one deployment', () => {
        const p = prepared('update-available');
        const r = run(p, 'rpm-ostree', ['rollback']);
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^Moving '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072\.0' to be first deployment\nTransaction complete; bootconfig swap: yes; deployment count change: 0\nDowngraded:\n {2}akmod-nvidia 3:570\.124\.04-1\.fc33 -> 3:565\.77-1\.fc33\n/);
        expect(r.stdout.endsWith('Run "systemctl reboot" to start a reboot\n')).toBe(true);
        expect(brief(rpmStatus(p)).map(d => [d.version, d.booted, d.roles])).toEqual([['33.17', false, ['default', 'pending']], ['33.21', true, ['rollback-target']]]);
        expect(fs.readlinkSync(path.join(p.root, 'ostree/boot.1'))).toBe('boot.1.0');
        // undo: the booted one is the default again
        expect(run(p, 'rpm-ostree', ['rollback']).stdout).toMatch(/^Moving '63335a77[0-9a-f]+\.0' to be first deployment\n/);
        expect(brief(rpmStatus(p)).map(d => [d.version, d.roles])).toEqual([['33.21', ['default']], ['33.17', ['rollback-target']]]);

        expect(run(p, 'rpm-ostree', ['upgrade']).status).toBe(0);
        const before = run(p, 'rpm-ostree', ['status', '--json']).stdout;
        const refused = run(p, 'rpm-ostree', ['rollback']);
        expect([refused.status, refused.stdout, refused.stderr]).toEqual([1, '', 'error: Staged deployment (remove with cleanup -p)\n']);
        expect(run(p, 'rpm-ostree', ['status', '--json']).stdout).toBe(before);

        const one = prepared('container-origin');
        const none = run(one, 'rpm-ostree', ['rollback']);
        expect([none.status, none.stderr]).toEqual([1, 'error: No rollback deployment found\n']);
    });

    test('deploy a known version or checksum; unknown ones fail and change nothing', () => {
        const p = prepared('update-available');
        const bad = run(p, 'rpm-ostree', ['deploy', '33.99']);
        expect([bad.status, bad.stdout, bad.stderr]).toEqual([1, "Resolving version '33.99'\n", 'error: Version 33.99 not found in fedora/33/x86_64/silverblue\n']);
        const badSum = run(p, 'rpm-ostree', ['deploy', 'f'.repeat(64)]);
        expect(badSum.stderr).toBe(`error: Checksum ${'f'.repeat(64)} not found in fedora/33/x86_64/silverblue\n`);
        expect(rpmStatus(p).deployments).toHaveLength(2);
        const same = run(p, 'rpm-ostree', ['deploy', '33.21']);
        expect([same.status, same.stdout]).toEqual([0, "Resolving version '33.21'\nNo change.\n"]);

        const ok = run(p, 'rpm-ostree', ['deploy', '33.17']);
        expect(ok.status).toBe(0);
        expect(ok.stdout).toMatch(/^Resolving version '33\.17'\nReceiving metadata objects/);
        const s = rpmStatus(p);
        expect(brief(s)[0]).toMatchObject({ version: '33.17', staged: true, roles: ['default', 'pending'] });
        expect(s.deployments[0].base?.checksum).toBe('deea0555cb7d3eb042df9a85d4efcbb9f70d778a9a9557715c0e398978233cd7');
        expect(fs.readFileSync(path.join(p.root, 'ostree/deploy/fedora-silverblue/deploy', `${s.deployments[0].checksum}.0.origin`), 'utf8'))
            .toContain('override-commit=deea0555cb7d3eb042df9a85d4efcbb9f70d778a9a9557715c0e398978233cd7\n');
        const byChecksum = run(p, 'rpm-ostree', ['deploy', 'e4ea234dd38d7c5b178ee8e962d70340429a2c451f7ffdd5713e784a33ca400f']);
        expect(byChecksum.stdout).toMatch(/^Validating checksum 'e4ea234d[0-9a-f]+'\n/);
        // the new staged deployment replaced the earlier one
        expect(brief(rpmStatus(p)).map(d => [d.version, d.staged])).toEqual([['33.20210301.0', true], ['33.21', false], ['33.17', false]]);
    });

    test('rebase to a known ref gives the new origin; unknown remotes and refs fail like ostree', () => {
        const p = prepared('healthy');
        const noRemote = run(p, 'rpm-ostree', ['rebase', 'nope:fedora/34/x86_64/silverblue']);
        expect([noRemote.status, noRemote.stderr]).toEqual([1, 'error: While pulling nope:fedora/34/x86_64/silverblue: Remote "nope" not found\n']);
        const noRef = run(p, 'rpm-ostree', ['rebase', 'fedora:fedora/99/x86_64/silverblue']);
        expect(noRef.stderr).toBe("error: While pulling fedora:fedora/99/x86_64/silverblue: No such branch 'fedora/99/x86_64/silverblue' in repository summary\n");
        const same = run(p, 'rpm-ostree', ['rebase', 'fedora/33/x86_64/silverblue']);
        expect(same.stderr).toBe('error: Old and new refs are equal: fedora/33/x86_64/silverblue\n');
        expect(rpmStatus(p).deployments).toHaveLength(2);
        const ok = run(p, 'rpm-ostree', ['rebase', 'fedora:fedora/34/x86_64/silverblue']);
        expect(ok.status).toBe(0);
        const s = rpmStatus(p);
        expect(s.deployments[0]).toMatchObject({ staged: true, version: '34.20210905.0', origin: { kind: 'ostree-ref', remote: 'fedora', ref: 'fedora/34/x86_64/silverblue' } });
        expect(fs.readFileSync(path.join(p.root, 'ostree/deploy/fedora-silverblue/deploy', `${s.deployments[0].checksum}.0.origin`), 'utf8'))
            .toMatch(/^\[origin\]\nrefspec=fedora:fedora\/34\/x86_64\/silverblue\n/);
    });

    test('cleanup -p / -r / -m remove what they say, pinned ones stay, and say when nothing changed', () => {
        const p = prepared('update-available');
        run(p, 'rpm-ostree', ['upgrade']);
        expect(rpmStatus(p).deployments).toHaveLength(3);
        const pending = run(p, 'rpm-ostree', ['cleanup', '-p']);
        expect([pending.status, pending.stdout]).toEqual([0, 'Transaction complete; bootconfig swap: no; deployment count change: -1\n']);
        expect(brief(rpmStatus(p)).map(d => d.version)).toEqual(['33.21', '33.17']);
        expect(fs.existsSync(path.join(p.root, 'run/ostree/staged-deployment'))).toBe(false);
        expect(run(p, 'rpm-ostree', ['cleanup', '--pending']).stdout).toBe('Deployments unchanged.\n');
        // a pinned rollback survives cleanup -r
        expect(run(p, 'ostree', ['admin', 'pin', '1']).stdout).toBe('Deployment 1 is now pinned\n');
        expect(run(p, 'rpm-ostree', ['cleanup', '-r']).stdout).toBe('Deployments unchanged.\n');
        run(p, 'ostree', ['admin', 'pin', '--unpin', '1']);
        const rb = run(p, 'rpm-ostree', ['cleanup', '-rm']);
        expect(rb.stdout).toBe('Transaction complete; bootconfig swap: yes; deployment count change: -1\n');
        expect(brief(rpmStatus(p)).map(d => d.version)).toEqual(['33.21']);
        expect(deployDir(p, 'fedora-silverblue').filter(n => n.startsWith('775d54'))).toEqual([]);
        expect(run(p, 'rpm-ostree', ['cleanup', '--repomd']).stdout).toBe('');
    });

    test('ostree admin pin / --unpin toggle pinned in the status and the origin file; staged and booted limits', () => {
        const p = prepared('update-available');
        const pin = run(p, 'ostree', ['admin', 'pin', '1']);
        expect([pin.status, pin.stdout]).toEqual([0, 'Deployment 1 is now pinned\n']);
        expect(brief(rpmStatus(p)).map(d => d.pinned)).toEqual([false, true]);
        const originFile = path.join(p.root, 'ostree/deploy/fedora-silverblue/deploy/775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072.0.origin');
        expect(fs.readFileSync(originFile, 'utf8')).toMatch(/\n\[libostree-transient\]\npinned=true\n$/);
        expect(run(p, 'ostree', ['admin', 'pin', '1']).stdout).toBe('Deployment 1 is already pinned\n');
        expect(run(p, 'ostree', ['admin', 'pin', '--unpin', '1']).stdout).toBe('Deployment 1 is now unpinned\n');
        expect(fs.readFileSync(originFile, 'utf8')).not.toContain('pinned');
        const range = run(p, 'ostree', ['admin', 'pin', '7']);
        expect([range.status, range.stderr]).toEqual([1, 'error: Out of range deployment index 7, expected < 2\n']);

        run(p, 'rpm-ostree', ['upgrade']);
        const staged = run(p, 'ostree', ['admin', 'pin', '0']);
        expect([staged.status, staged.stderr]).toEqual([1, 'error: Cannot pin staged deployment\n']);
        const booted = run(p, 'ostree', ['admin', 'undeploy', '1']);
        expect([booted.status, booted.stderr]).toEqual([1, 'error: Cannot undeploy currently booted deployment 1\n']);
        const del = run(p, 'ostree', ['admin', 'undeploy', '2']);
        expect(del.stdout).toBe('Transaction complete; bootconfig swap: yes; deployment count change: -1\nDeleted deployment 775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072.0\n');
        expect(brief(rpmStatus(p)).map(d => [d.version, d.roles])).toEqual([['33.20210301.0', ['default', 'pending']], ['33.21', []]]);
        expect(fs.existsSync(originFile)).toBe(false);
    });

    test('db diff between any two commits; kargs only where the scenario knows them', () => {
        const p = healthy();
        const d = run(p, 'rpm-ostree', ['db', 'diff', '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072', '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb']);
        expect(d.stdout).toBe('ostree diff commit from: 775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072\n'
            + 'ostree diff commit to:   63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb\n'
            + 'Upgraded:\n  akmod-nvidia 3:565.77-1.fc33 -> 3:570.124.04-1.fc33\n  xorg-x11-drv-nvidia 3:565.77-1.fc33 -> 3:570.124.04-1.fc33\n'
            + '  xorg-x11-drv-nvidia-cuda 3:565.77-1.fc33 -> 3:570.124.04-1.fc33\n  xorg-x11-drv-nvidia-cuda-libs 3:565.77-1.fc33 -> 3:570.124.04-1.fc33\n');
        expect(run(p, 'rpm-ostree', ['db', 'diff', 'a'.repeat(64), '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb']).stderr)
            .toBe(`error: No such metadata object ${'a'.repeat(64)}.commit\n`);
        // healthy's kernel arguments are its derived /proc/cmdline's (test/sim/kernel-handlers.test.ts
        // tests them); a host that knows none (container-origin) has no answer, visibly
        expect(run(p, 'rpm-ostree', ['kargs']).stdout).toMatch(/^rhgb quiet root=UUID=\S+ rootflags=subvol=root rw ostree=\/ostree\/boot\.0\/fedora-silverblue\/[0-9a-f]{64}\/0\n$/);
        expect(run(prepared('container-origin'), 'rpm-ostree', ['kargs']).status).toBe(64);
    });
});

// ---- transactions from elsewhere -------------------------------------------------------------

describe('transactions', () => {
    test('transaction-running: shown in status, blocks the others, ends by itself with the update staged', async () => {
        const p = prepared('transaction-running');
        const scale = '0.1';
        const s = rpmStatus(p, { scale });
        expect(s.transaction).toEqual({ title: 'AutomaticUpdateTrigger', owner: expect.stringMatching(/^:1\.\d+$/), path: '/org/projectatomic/rpmostree1/fedora_silverblue' });
        expect(repoTmp(p)).toHaveLength(1);
        for (const args of [['upgrade'], ['cleanup', '-p']]) {
            const r = run(p, 'rpm-ostree', args, { scale });
            expect([args, r.status, r.stderr]).toEqual([args, 1, 'error: Transaction in progress: automatic (stage)\n You can cancel the current transaction with `rpm-ostree cancel`\n']);
        }
        await until('the transaction to end', () => rpmStatus(p, { scale }).transaction === null);
        const after = rpmStatus(p, { scale });
        expect(brief(after).map(d => [d.version, d.staged])).toEqual([['33.20210301.0', true], ['33.21', false], ['33.17', false]]);
        expect(repoTmp(p)).toEqual([]);
        expect(fs.existsSync(path.join(p.root, 'run/ostree/staged-deployment'))).toBe(true);
        // the host's automatic-update policy shows in rpm-ostree's note
        expect(run(p, 'rpm-ostree', ['upgrade'], { scale }).stdout).toMatch(/^note: automatic updates \(stage\) are enabled\n/);
    });

    test('cancel ends a running transaction with nothing applied; without one it says so', () => {
        const p = prepared('transaction-running');
        const scale = '0.2';
        expect(rpmStatus(p, { scale }).transaction).not.toBeNull();
        const c = run(p, 'rpm-ostree', ['cancel'], { scale });
        expect([c.status, c.stdout]).toEqual([0, 'Cancelling transaction: automatic (stage)\nCancelled.\n']);
        const s = rpmStatus(p, { scale });
        expect(s.transaction).toBeNull();
        expect(brief(s).map(d => d.version)).toEqual(['33.21', '33.17']);
        expect(repoTmp(p)).toEqual([]);
        const none = run(p, 'rpm-ostree', ['cancel'], { scale });
        expect([none.status, none.stdout]).toEqual([0, 'No active transaction.\n']);
    });

    test('an upgrade run from outside (another admin) shows as the transaction while it runs', async () => {
        const p = prepared('update-available');
        rpmStatus(p);
        const child = spawn(path.join(p.state, 'bin/rpm-ostree'), ['upgrade'], { env: { ...p.env, AIWS_SIM_TIME_SCALE: '0.3' } });
        const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        await until('the upgrade to show in status', () => rpmStatus(p).transaction !== null);
        expect(rpmStatus(p).transaction).toMatchObject({ title: 'Upgrade', path: '/org/projectatomic/rpmostree1/fedora_silverblue' });
        await until('its pull files', () => repoTmp(p).length > 0);
        const blocked = run(p, 'rpm-ostree', ['rollback']);
        expect(blocked.stderr).toBe('error: Transaction in progress: upgrade \n You can cancel the current transaction with `rpm-ostree cancel`\n');
        expect(await exit).toBe(0);
        const s = rpmStatus(p);
        expect(s.transaction).toBeNull();
        expect(s.deployments[0].staged).toBe(true);
    });

    test('cancelling an upgrade midway leaves nothing', async () => {
        const p = prepared('update-available');
        const before = run(p, 'rpm-ostree', ['status', '--json']).stdout;
        const child = spawn(path.join(p.state, 'bin/rpm-ostree'), ['upgrade'], { env: { ...p.env, AIWS_SIM_TIME_SCALE: '0.5' } });
        let err = '';
        child.stderr.on('data', (d: Buffer) => { err += d.toString() });
        const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        await until('the upgrade to run', () => rpmStatus(p).transaction !== null);
        expect(run(p, 'rpm-ostree', ['cancel']).stdout).toBe('Cancelling transaction: upgrade \nCancelled.\n');
        expect(await exit).toBe(1);
        expect(err).toBe('error: Operation was cancelled\n');
        expect(run(p, 'rpm-ostree', ['status', '--json']).stdout).toBe(before);
        expect(repoTmp(p)).toEqual([]);
    });
});

// ---- bootc --------------------------------------------------------------------------------------

describe('bootc', () => {
    test.each(['bootc', 'bootc-only'])('%s: upgrade --check, upgrade (staged), reboot, rollback (queued), with the page\'s bootc parser', (name) => {
        const p = prepared(name);
        expect(fs.existsSync(path.join(p.state, 'bin/rpm-ostree'))).toBe(name === 'bootc');
        const c = run(p, 'bootc', ['upgrade', '--check']);
        expect(c.stdout).toBe('Update available for: ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest\n  Version: 9.20240415.0\n'
            + '  Digest: sha256:914a101c15a5f13a8c2e73977ea8d837f2b8319d4534c1208fa86ad3361e5ec2\n'
            + 'Total new layers: 68    Size: 684.5 MB\nRemoved layers:   2     Size: 75.9 MB\nAdded layers:     2     Size: 75.9 MB\n');
        expect(bootcStatus(p).cachedUpdate).toMatchObject({ version: '9.20240415.0', imageDigest: 'sha256:914a101c15a5f13a8c2e73977ea8d837f2b8319d4534c1208fa86ad3361e5ec2' });
        const u = run(p, 'bootc', ['upgrade']);
        expect(u.status).toBe(0);
        expect(u.stdout).toMatch(/^layers already present: 66; layers needed: 2 \(75\.9 MB\)\nFetched layers: 72\.38 MiB in \d+ seconds \([\d.]+ MiB\/s\)\n {2}Deploying: done \(\d+ seconds\)\nQueued for next boot: 192\.168\.122\.1:5000\/bootc-insights:latest\n {2}Version: 9\.20240415\.0\n/);
        let s = bootcStatus(p);
        expect(brief(s).map(d => [d.version, d.staged, d.booted, d.roles])).toEqual([['9.20240415.0', true, false, ['default', 'pending']], ['9.20240321.0', false, true, []]]);
        if (name === 'bootc') expect(rpmStatus(p).deployments.map(d => d.staged)).toEqual([true, false]);
        expect(run(p, 'bootc', ['upgrade']).stdout).toBe('Staged update present, not changed.\n');

        run(p, 'systemctl', ['reboot']);
        s = bootcStatus(p);
        expect(brief(s).map(d => [d.version, d.booted, d.roles])).toEqual([['9.20240415.0', true, ['default']], ['9.20240321.0', false, ['rollback-target']]]);
        expect(s.cachedUpdate).toBeNull();
        const cmdline = fs.readFileSync(path.join(p.root, 'proc/cmdline'), 'utf8');
        expect(cmdline).toMatch(/^BOOT_IMAGE=\(hd0,gpt3\)\/ostree\/default-[0-9a-f]{64}\/vmlinuz-5\.14\.0-427\.13\.1\.el9_4\.x86_64 rw console=tty0 console=ttyS0 root=LABEL=root ostree=\/ostree\/boot\.0\/default\/[0-9a-f]{64}\/0\n$/);
        expect(fs.readFileSync(path.join(p.root, 'proc/sys/kernel/osrelease'), 'utf8')).toBe('5.14.0-427.13.1.el9_4.x86_64\n');
        expect(run(p, 'bootc', ['upgrade']).stdout).toBe('No changes in ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest => sha256:914a101c15a5f13a8c2e73977ea8d837f2b8319d4534c1208fa86ad3361e5ec2\nNo update available.\n');

        expect(run(p, 'bootc', ['rollback']).stdout).toBe('Next boot: rollback deployment\n');
        s = bootcStatus(p);
        expect(brief(s).map(d => [d.version, d.booted, d.roles])).toEqual([['9.20240321.0', false, ['default', 'pending']], ['9.20240415.0', true, ['rollback-target']]]);
        expect(run(p, 'bootc', ['rollback']).stdout).toBe('notice: Reverting queued rollback state\nNext boot: current deployment\n');
        expect(brief(bootcStatus(p)).map(d => [d.version, d.roles])).toEqual([['9.20240415.0', ['default']], ['9.20240321.0', ['rollback-target']]]);
    });

    test('switch to a known image stages it with the new reference; an unknown one fails', () => {
        const p = prepared('bootc-only');
        const bad = run(p, 'bootc', ['switch', 'quay.io/nope/nothing:1']);
        expect([bad.status, bad.stderr]).toEqual([1, 'ERROR Switching: Pulling: Creating importer: failed to invoke method OpenImage: reading manifest 1 in quay.io/nope/nothing: manifest unknown\n']);
        expect(bootcStatus(p).deployments).toHaveLength(1);
        const ok = run(p, 'bootc', ['switch', 'quay.io/centos-boot/fedora-boot-cloud:eln']);
        expect(ok.stdout).toMatch(/Queued for next boot: quay\.io\/centos-boot\/fedora-boot-cloud:eln\n {2}Version: 39\.20231109\.3\n {2}Digest: sha256:92e47643/);
        const s = bootcStatus(p);
        expect(s.deployments[0]).toMatchObject({ staged: true, origin: { kind: 'container-image', image: 'quay.io/centos-boot/fedora-boot-cloud:eln' } });
        expect(run(p, 'bootc', ['switch', 'quay.io/centos-boot/fedora-boot-cloud:eln']).stdout).toBe('Image specification is unchanged.\n');
        // bootc rollback drops the staged deployment; with no rollback entry there is none
        expect(run(p, 'bootc', ['rollback']).stderr).toBe('ERROR Rollback: No rollback available\n');
        expect(run(p, 'ostree', ['admin', 'pin', '1']).stdout).toBe('Deployment 1 is now pinned\n');
        expect(bootcStatus(p).deployments.map(d => d.pinned)).toEqual([false, true]);
    });
});

// ---- the page's other parsers --------------------------------------------------------------------

describe('printed outputs parse with the page\'s parsers', () => {
    test('update checks, db diff, kargs, /proc/cmdline, transaction lines and the in-progress error', () => {
        const p = prepared('update-available');
        const check = run(p, 'rpm-ostree', ['upgrade', '--check']);
        expect(parseRpmOstreeUpdateCheck(check.stdout + check.stderr)).toMatchObject({ kind: 'available', version: '33.20210301.0', commit: 'e4ea234dd38d7c5b178ee8e962d70340429a2c451f7ffdd5713e784a33ca400f' });
        const preview = run(p, 'rpm-ostree', ['upgrade', '--preview']);
        const previewed = parseRpmOstreeUpdateCheck(preview.stdout);
        expect(previewed).toMatchObject({ kind: 'available', version: '33.20210301.0' });
        expect(JSON.stringify(previewed)).toContain('5.10.19-200.fc33');
        const upgrade = run(p, 'rpm-ostree', ['upgrade']);
        const kinds = upgrade.stdout.split('\n').filter(Boolean).map(l => classifyTransactionLine(l).kind);
        expect(kinds).toContain('progress');
        expect(kinds.at(-1)).toBe('reboot-hint');
        const s = rpmStatus(p);
        const diff = parseDbDiff(run(p, 'rpm-ostree', ['db', 'diff', s.deployments[1].checksum, s.deployments[0].checksum]).stdout);
        expect(diff.from.checksum).toBe(s.deployments[1].checksum);
        expect(diff.to.checksum).toBe(s.deployments[0].checksum);
        expect(JSON.stringify(diff.changes)).toContain('kernel-modules-extra');
        const blocked = run(p, 'rpm-ostree', ['rollback']);
        expect(transactionInProgress(blocked.stderr)).toBeNull();
        const none = prepared('healthy');
        const noUpdate = run(none, 'rpm-ostree', ['upgrade', '--check']);
        expect(parseRpmOstreeUpdateCheck(noUpdate.stdout)).toMatchObject({ kind: 'none' });

        const b = prepared('bootc');
        expect(parseKargs(run(b, 'rpm-ostree', ['kargs']).stdout)).toContain('root=LABEL=root');
        expect(parseBootcUpgradeCheck(run(b, 'bootc', ['upgrade', '--check']).stdout)).toMatchObject({ kind: 'available', version: '9.20240415.0' });
        run(b, 'bootc', ['upgrade']);
        run(b, 'systemctl', ['reboot']);
        expect(parseProcCmdline(fs.readFileSync(path.join(b.root, 'proc/cmdline'), 'utf8'))).toContain('console=ttyS0');
        expect(parseBootcUpgradeCheck(run(b, 'bootc', ['upgrade', '--check']).stdout)).toMatchObject({ kind: 'none' });
    });

    test('the in-progress error names the running transaction', () => {
        const t = prepared('transaction-running');
        expect(rpmStatus(t, { scale: '0.2' }).transaction).not.toBeNull();
        expect(transactionInProgress(run(t, 'rpm-ostree', ['upgrade'], { scale: '0.2' }).stderr)).toBe('automatic (stage)');
        run(t, 'rpm-ostree', ['cancel'], { scale: '0.2' });
    });
});

// ---- non-admin callers -----------------------------------------------------------------------------

(canRunAsViewer ? describe : describe.skip)('a non-root caller', () => {
    test('reads rpm-ostree status and db diff, is refused every change with the tools\' words, and nothing changes', () => {
        const p = prepared('update-available');
        const viewer = { viewer: true };
        // before any root call the viewer sees the recorded state, computed without writing
        expect(brief(rpmStatus(p, viewer)).map(d => d.version)).toEqual(['33.21', '33.17']);
        rpmStatus(p);
        const tree = rootTree(p);
        const before = run(p, 'rpm-ostree', ['status', '--json']).stdout;
        const refusals: [string, string[], string][] = [
            ['rpm-ostree', ['upgrade'], 'error: rpmostreed OS operation Upgrade not allowed for user\n'],
            ['rpm-ostree', ['upgrade', '--check'], 'error: rpmostreed OS operation AutomaticUpdateTrigger not allowed for user\n'],
            ['rpm-ostree', ['rollback'], 'error: rpmostreed OS operation Rollback not allowed for user\n'],
            ['rpm-ostree', ['deploy', '33.17'], 'error: rpmostreed OS operation UpdateDeployment not allowed for user\n'],
            ['rpm-ostree', ['rebase', 'fedora:fedora/34/x86_64/silverblue'], 'error: rpmostreed OS operation UpdateDeployment not allowed for user\n'],
            ['rpm-ostree', ['cleanup', '-p'], 'error: rpmostreed OS operation Cleanup not allowed for user\n'],
            ['ostree', ['admin', 'pin', '1'], 'error: You must be root to perform this command\n'],
            ['ostree', ['admin', 'undeploy', '1'], 'error: You must be root to perform this command\n'],
            ['systemctl', ['reboot'], 'Call to Reboot failed: Interactive authentication required.\n'],
        ];
        for (const [tool, args, message] of refusals) {
            const r = run(p, tool, args, viewer);
            expect([tool, args, r.status, r.stdout, r.stderr]).toEqual([tool, args, 1, '', message]);
        }
        expect(run(p, 'rpm-ostree', ['db', 'diff', '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072', '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb'], viewer).status).toBe(0);
        expect(run(p, 'rpm-ostree', ['cancel'], viewer).stdout).toBe('No active transaction.\n');
        expect(run(p, 'rpm-ostree', ['status', '--json']).stdout).toBe(before);
        expect(rootTree(p)).toEqual(tree);
        const log = fs.readFileSync(path.join(p.state, 'log.jsonl'), 'utf8').trim().split('\n').map(l => JSON.parse(l));
        expect(log.filter(l => !l.admin).every(l => l.uid !== 0)).toBe(true);
        expect(log.filter(l => !l.admin).length).toBeGreaterThanOrEqual(refusals.length);
    });

    test('bootc refuses every command, status too (bootc-dev/bootc#409); cancel of a running transaction is refused', () => {
        const b = prepared('bootc-only');
        for (const [args, context] of [[['status', '--json'], 'Status'], [['upgrade'], 'Upgrading'], [['upgrade', '--check'], 'Upgrading'], [['switch', 'quay.io/x/y:1'], 'Switching'], [['rollback'], 'Rollback']] as [string[], string][]) {
            const r = run(b, 'bootc', args, { viewer: true });
            expect([args, r.status, r.stderr]).toEqual([args, 1, `ERROR ${context}: Querying root privilege: This command requires root privileges\n`]);
        }
        const t = prepared('transaction-running');
        expect(rpmStatus(t, { scale: '0.2' }).transaction).not.toBeNull();
        const c = run(t, 'rpm-ostree', ['cancel'], { viewer: true, scale: '0.2' });
        expect([c.status, c.stderr]).toEqual([1, 'error: rpmostreed Sysroot operation Cancel not allowed for user\n']);
        expect(rpmStatus(t, { viewer: true, scale: '0.2' }).transaction).not.toBeNull();
        run(t, 'rpm-ostree', ['cancel'], { scale: '0.2' });
    });
});
