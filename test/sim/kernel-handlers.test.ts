/** @jest-environment node */
// Tests of the simulated host's kernel and driver side (issue 5): deployment trees with kernels
// and NVIDIA modules, `modinfo <file>`, the GPU driver state a reboot brings per deployment,
// rpm-ostree kargs changes, override replace/reset, skopeo list-tags/inspect and mokutil
// --import/--list-new with its enrolment at reboot. Every tool call is a separate process
// started from <state>/bin, as the bridge starts them; outputs go through the page's parsers.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseRpmOstreeStatus } from '../../src/deployments/rpm-ostree-status-parser';
import type { DeploymentsStatus } from '../../src/deployments/deployment';
import { parseKargs, parseKargsChange, parseProcCmdline } from '../../src/deployments/kargs-parser';
import { parseModinfo } from '../../src/gpus/modinfo-parser';
import { isSignerEnrolled, parseEnrolledKeys } from '../../src/gpus/mokutil-parser';
import { StatePool, VIEWER, runTool, type Prepared, type Run } from './sim-pool';

const SIM = __dirname;
const FIXTURES = path.resolve(SIM, '..', 'fixtures');
const FAST = '0.01';
const SIGNER = 'Nvidia Driver Kmod Signing MOK';
const GOOD = '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb';
const KOJI = 'https://kojipkgs.fedoraproject.org/packages/kernel/5.8.15/301.fc33/x86_64';
const PIN_URLS = ['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-extra'].map(n => `${KOJI}/${n}-5.8.15-301.fc33.x86_64.rpm`);
const UBLUE = 'ghcr.io/ublue-os/bluefin-nvidia';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-kernel-test-'));
    fs.chmodSync(tmp, 0o755);
});
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }) });

// a scratch scenario: the recorded Silverblue status with a proprietary unsigned module in its
// booted commit, the values of the recorded modinfo-nvidia-510-…-silverblue272.txt
let scratch: string;
function writeScratch() {
    scratch = fs.mkdtempSync(path.join(tmp, 'scenarios-'));
    const dir = path.join(scratch, 'prop/commands/rpm-ostree');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(scratch, 'prop/scenario.json'), JSON.stringify({ description: 'proprietary module' }));
    fs.writeFileSync(path.join(dir, 'index.json'), JSON.stringify([{ argv: ['status', '--json'], stdout: '@fixtures/rpm-ostree/puptoo-silverblue33-layered-override-replace.json' }]));
    fs.mkdirSync(path.join(scratch, 'prop/commands/modinfo'));
    fs.writeFileSync(path.join(scratch, 'prop/commands/modinfo/index.json'), '[]');
    fs.writeFileSync(path.join(dir, 'commits.json'), JSON.stringify({
        commits: { [GOOD]: { kernel: '5.17.9-300.fc36.x86_64', nvidia: { version: '510.68.02', flavour: 'proprietary', signer: null } } },
    }));
}

// fresh states prepared ahead, in parallel (each takes most of a second)
const POOL_SIZES: Record<string, number> = {
    'healthy': 6, 'broken-after-update': 1, 'broken-known-good-two-back': 1, 'kernel-update-no-module': 1,
    'kernel-pinned-overrides': 1, 'ublue-dated-tags': 2, 'secure-boot-key-not-enrolled': 2, 'update-available': 1,
};
let pool: StatePool;
beforeAll(async () => {
    writeScratch();
    pool = new StatePool(tmp);
    await pool.fill([...Object.entries(POOL_SIZES).map(([n, c]): [string, number] => [n, c]), ['prop', 1, scratch]]);
}, 60000);

function prepared(name: string, scenariosDir?: string): Prepared {
    return pool.take(name, scenariosDir);
}

const isRoot = process.getuid!() === 0;
const canRunAsViewer = isRoot && spawnSync('id', ['-u', VIEWER]).status === 0;

function run(p: Prepared, tool: string, args: string[], { viewer = false, input }: { viewer?: boolean, input?: string } = {}): Run {
    return runTool(p, tool, args, { viewer, input, scale: FAST });
}

function ok(p: Prepared, tool: string, args: string[]): string {
    const r = run(p, tool, args);
    expect([tool, args, r.status, r.stderr]).toEqual([tool, args, 0, '']);
    return r.stdout;
}

function status(p: Prepared): DeploymentsStatus {
    return parseRpmOstreeStatus(ok(p, 'rpm-ostree', ['status', '--json']));
}

const brief = (s: DeploymentsStatus) => s.deployments.map(d => [d.version, d.booted, d.staged, d.kernel?.version ?? null]);
const file = (p: Prepared, rel: string) => fs.readFileSync(path.join(p.root, rel), 'utf8');
const exists = (p: Prepared, rel: string) => fs.existsSync(path.join(p.root, rel));
const deployDir = (p: Prepared, os: string, d: { checksum: string, serial: number }) => path.join(p.root, 'ostree/deploy', os, 'deploy', `${d.checksum}.${d.serial}`);
const modulesOf = (dir: string) => fs.readdirSync(path.join(dir, 'usr/lib/modules')).sort();
const fixture = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8');

/** The GPU verdict record-known-good.sh takes: nvidia-smi -L lists a GPU and /sys/module/nvidia/version exists. */
function gpuWorks(p: Prepared): boolean {
    const r = run(p, 'nvidia-smi', ['-L']);
    return r.status === 0 && /^GPU 0: .+ \(UUID: GPU-[0-9a-f-]+\)$/m.test(r.stdout) && exists(p, 'sys/module/nvidia/version');
}

/** /proc/cmdline's ostree= resolved in the root prefix, as record-known-good.sh does: the booted deployment's folder. */
function bootedFolder(p: Prepared): string {
    const ostree = parseProcCmdline(file(p, 'proc/cmdline')).find(a => a.startsWith('ostree='))!.slice('ostree='.length);
    return path.basename(fs.realpathSync(path.join(p.root, ostree)));
}

// ---- the scenarios' kernel data ----------------------------------------------------------------

describe('scenario data', () => {
    const scenarios = path.join(SIM, 'scenarios');
    const commitFiles = fs.readdirSync(scenarios).flatMap(s => ['commits.json', 'update.json']
        .map(f => path.join(scenarios, s, 'commands/rpm-ostree', f)).filter(f => fs.existsSync(f)));

    test('every "gpu" names a scenario; every module has a version, a known flavour and a signer or null', () => {
        const commits = commitFiles.flatMap(f => {
            const j = JSON.parse(fs.readFileSync(f, 'utf8'));
            return f.endsWith('update.json') ? [[f, j]] : Object.entries(j.commits ?? {}).map(([k, c]) => [`${f} ${k}`, c]);
        }) as [string, { gpu?: string, nvidia?: unknown }][];
        expect(commits.length).toBeGreaterThan(20);
        for (const [where, c] of commits) {
            if (c.gpu !== undefined) expect([where, fs.existsSync(path.join(scenarios, c.gpu, 'scenario.json'))]).toEqual([where, true]);
            const mods = c.nvidia === undefined || c.nvidia === null ? [] : Array.isArray(c.nvidia) ? c.nvidia : [c.nvidia];
            for (const m of mods as { version: unknown, flavour: unknown, signer: unknown }[])
                expect([where, typeof m.version, ['open', 'proprietary'].includes(m.flavour as string), m.signer === null || typeof m.signer === 'string']).toEqual([where, 'string', true, true]);
        }
    });

    test('the Silverblue scenarios that copy the healthy commits keep them identical', () => {
        const healthy = JSON.parse(fs.readFileSync(path.join(scenarios, 'healthy/commands/rpm-ostree/commits.json'), 'utf8')).commits;
        for (const s of ['update-available', 'upgrade-fails', 'transaction-running', 'kernel-update-no-module']) {
            const c = JSON.parse(fs.readFileSync(path.join(scenarios, s, 'commands/rpm-ostree/commits.json'), 'utf8')).commits;
            expect([s, c]).toEqual([s, healthy]);
        }
    });
});

// ---- deployment trees and modinfo ------------------------------------------------------------

describe('deployment trees and modinfo', () => {
    test('every deployment carries its kernel, its module placeholder and os-release; modinfo prints the module', () => {
        const p = prepared('healthy');
        const s = status(p);
        for (const [d, version] of [[s.deployments[0], '570.124.04'], [s.deployments[1], '565.77']] as const) {
            const dir = deployDir(p, 'fedora-silverblue', d);
            expect(modulesOf(dir)).toEqual(['5.9.11-200.fc33.x86_64']);
            expect(fs.readFileSync(path.join(dir, 'usr/lib/os-release'), 'utf8')).toContain(`\nOSTREE_VERSION='${d.version}'\n`);
            const ko = path.join(dir, 'usr/lib/modules/5.9.11-200.fc33.x86_64/extra/nvidia/nvidia.ko.xz');
            const m = parseModinfo(ok(p, 'modinfo', [ko]));
            expect(m).toMatchObject({ filename: ko, version, flavour: 'open', signer: SIGNER, vermagicKernel: '5.9.11-200.fc33.x86_64', sigHashAlgo: 'sha256' });
        }
        // the booted one's module prints exactly the healthy scenario's `modinfo nvidia` answer
        // (derived from the recorded open signed module), but for its own filename
        const ko = path.join(deployDir(p, 'fedora-silverblue', s.deployments[0]), 'usr/lib/modules/5.9.11-200.fc33.x86_64/extra/nvidia/nvidia.ko.xz');
        const derived = fs.readFileSync(path.join(SIM, 'scenarios/healthy/commands/modinfo/nvidia-derived.txt'), 'utf8');
        expect(ok(p, 'modinfo', [ko]).split('\n').slice(1)).toEqual(derived.split('\n').slice(1));
        expect(ok(p, 'modinfo', ['nvidia'])).toBe(derived);
        // kmod's errors
        expect(run(p, 'modinfo', ['/usr/lib/modules/none/nvidia.ko.xz'])).toEqual({ status: 1, stdout: '', stderr: 'modinfo: ERROR: Module /usr/lib/modules/none/nvidia.ko.xz not found.\n' });
        const notModule = path.join(deployDir(p, 'fedora-silverblue', s.deployments[0]), 'usr/lib/os-release');
        expect(run(p, 'modinfo', [notModule])).toMatchObject({ status: 1, stderr: "modinfo: ERROR: could not get modinfo from 'os-release': Exec format error\n" });
    });

    test('an unsigned proprietary module prints as the recorded one', () => {
        const p = prepared('prop', scratch);
        const d = status(p).deployments[0];
        const ko = path.join(deployDir(p, 'fedora-silverblue', d), 'usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia.ko.xz');
        const recorded = fixture('nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt');
        const out = ok(p, 'modinfo', [ko]);
        expect(out.split('\n').slice(1)).toEqual(recorded.split('\n').slice(1));
        expect(parseModinfo(out)).toMatchObject({ flavour: 'proprietary', signer: null, version: '510.68.02' });
    });

    test('trees follow the state: an update without module, a rollback, a cleanup', () => {
        const p = prepared('kernel-update-no-module');
        expect(run(p, 'rpm-ostree', ['upgrade']).status).toBe(0);
        const s = status(p);
        expect(brief(s)[0]).toEqual(['33.20210301.0', false, true, '5.10.19-200.fc33.x86_64']);
        const staged = deployDir(p, 'fedora-silverblue', s.deployments[0]);
        // the new kernel's folder, and the old one's with the module left behind
        expect(modulesOf(staged)).toEqual(['5.10.19-200.fc33.x86_64', '5.9.11-200.fc33.x86_64']);
        expect(fs.readdirSync(path.join(staged, 'usr/lib/modules/5.10.19-200.fc33.x86_64'))).toEqual([]);
        expect(parseModinfo(ok(p, 'modinfo', [path.join(staged, 'usr/lib/modules/5.9.11-200.fc33.x86_64/extra/nvidia/nvidia.ko.xz')])).vermagicKernel).toBe('5.9.11-200.fc33.x86_64');
        ok(p, 'rpm-ostree', ['cleanup', '-p']);
        expect(fs.existsSync(staged)).toBe(false);
        // undeploy of the rollback removes its tree too
        const rollback = deployDir(p, 'fedora-silverblue', status(p).deployments[1]);
        ok(p, 'ostree', ['admin', 'undeploy', '1']);
        expect(fs.existsSync(rollback)).toBe(false);
    });

    test('`modinfo nvidia` without a recorded answer is the running kernel\'s module of the booted tree', () => {
        const p = prepared('kernel-pinned-overrides');
        const m = parseModinfo(ok(p, 'modinfo', ['nvidia']));
        expect(m).toMatchObject({ filename: '/lib/modules/5.8.15-301.fc33.x86_64/extra/nvidia/nvidia.ko.xz', vermagicKernel: '5.8.15-301.fc33.x86_64', version: '570.124.04' });
    });
});

// ---- the driver state a reboot brings ---------------------------------------------------------

describe('reboots bring each deployment\'s driver state', () => {
    test('broken-after-update: broken booted, Recover by rollback, a healthy boot; and back', () => {
        const p = prepared('broken-after-update');
        const s = status(p);
        // (the recorded 33.21 deployment has no ostree.linux in its metadata: the page's parser tells no kernel, its tree does)
        expect(brief(s)).toEqual([['33.20210301.0', true, false, '5.10.19-200.fc33.x86_64'], ['33.21', false, false, null]]);
        expect(s.deployments[1].roles).toEqual(['rollback-target']);
        // the known-good record names the rollback target
        const records = file(p, 'var/lib/cockpit-ai-workstation/known-good.jsonl').trim().split('\n').map(l => JSON.parse(l));
        expect(records).toEqual([{ checksum: GOOD, osname: 'fedora-silverblue', version: '33.21', kernel: '5.9.11-200.fc33.x86_64', driverVersion: '570.124.04', gpus: ['NVIDIA GeForce RTX 3060'], recordedAt: expect.any(String), recordedBy: 'boot' }]);
        expect(s.deployments[1].checksum).toBe(GOOD);
        // the GPU is gone: the recorded modprobe failure, no module for the running kernel
        const smi = run(p, 'nvidia-smi', ['-L']);
        expect([smi.status, smi.stdout]).toEqual([9, fixture('nvidia-smi-errors/couldnt-communicate-after-modprobe-fatal-nvidia-docker365.txt')]);
        expect(exists(p, 'sys/module/nvidia')).toBe(false);
        expect(run(p, 'modinfo', ['nvidia']).status).toBe(1);
        expect(bootedFolder(p)).toBe(`${s.deployments[0].checksum}.0`);
        const booted = deployDir(p, 'fedora-silverblue', s.deployments[0]);
        expect(modulesOf(booted)).toEqual(['5.10.19-200.fc33.x86_64', '5.9.11-200.fc33.x86_64']);

        expect(ok(p, 'rpm-ostree', ['rollback'])).toContain(`Moving '${GOOD}.0' to be first deployment\n`);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
        expect(file(p, 'sys/module/nvidia/version').trim()).toBe('570.124.04');
        expect(file(p, 'proc/sys/kernel/osrelease')).toBe('5.9.11-200.fc33.x86_64\n');
        expect(bootedFolder(p)).toBe(`${GOOD}.0`);
        expect(parseModinfo(ok(p, 'modinfo', ['nvidia'])).vermagicKernel).toBe('5.9.11-200.fc33.x86_64');
        expect(ok(p, 'lspci', ['-Dnnk'])).toContain('Kernel driver in use: nvidia');
        expect(brief(status(p)).map(d => d.slice(0, 2))).toEqual([['33.21', true], ['33.20210301.0', false]]);

        // and back: the scenario's own (broken) files come back
        ok(p, 'rpm-ostree', ['rollback']);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(false);
        expect(run(p, 'nvidia-smi', ['-L']).status).toBe(9);
        expect(ok(p, 'lspci', ['-Dnnk'])).not.toContain('Kernel driver in use');
        expect(file(p, 'proc/sys/kernel/osrelease')).toBe('5.10.19-200.fc33.x86_64\n');
        expect(fs.existsSync(path.join(p.state, 'scenario/gpu-states/@scenario/commands/nvidia-smi/index.json'))).toBe(true);
    });

    test('broken-known-good-two-back: the rollback is broken too; deploy of the pinned known-good version recovers', () => {
        const p = prepared('broken-known-good-two-back');
        const s = status(p);
        expect(brief(s).map(d => d.slice(0, 2))).toEqual([['33.20210315.0', true], ['33.20210301.0', false], ['33.21', false]]);
        expect(s.deployments.map(d => d.pinned)).toEqual([false, false, true]);
        expect(s.deployments[2].checksum).toBe(GOOD);
        expect(gpuWorks(p)).toBe(false);
        ok(p, 'rpm-ostree', ['rollback']);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(false);
        expect(file(p, 'proc/sys/kernel/osrelease')).toBe('5.10.19-200.fc33.x86_64\n');
        ok(p, 'rpm-ostree', ['rollback']);
        ok(p, 'systemctl', ['reboot']);
        expect(ok(p, 'rpm-ostree', ['deploy', '33.21'])).toContain('Downgraded:\n  kernel 5.10.21-200.fc33 -> 5.9.11-200.fc33\n');
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
        const after = status(p);
        expect(brief(after).map(d => d.slice(0, 2))).toEqual([['33.21', true], ['33.20210315.0', false], ['33.21', false]]);
        expect(after.deployments[2]).toMatchObject({ checksum: GOOD, pinned: true });
    });

    test('kernel-update-no-module: the update breaks the GPU at its reboot, the rollback brings it back', () => {
        const p = prepared('kernel-update-no-module');
        expect(gpuWorks(p)).toBe(true);
        ok(p, 'rpm-ostree', ['upgrade']);
        // staging changes nothing running
        expect(gpuWorks(p)).toBe(true);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(false);
        expect(run(p, 'modinfo', ['nvidia'])).toMatchObject({ status: 1, stderr: fixture('nvidia-driver/modinfo-error-module-not-found-fc25-bumblebee853.txt') });
        ok(p, 'rpm-ostree', ['rollback']);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
    });

    test('a commit that names no driver state keeps the host\'s current one', () => {
        const p = prepared('update-available');
        ok(p, 'rpm-ostree', ['upgrade']);
        const s = status(p);
        // update-available's update carries a module built for its kernel
        const staged = deployDir(p, 'fedora-silverblue', s.deployments[0]);
        expect(modulesOf(staged)).toEqual(['5.10.19-200.fc33.x86_64']);
        expect(parseModinfo(ok(p, 'modinfo', [path.join(staged, 'usr/lib/modules/5.10.19-200.fc33.x86_64/extra/nvidia/nvidia.ko.xz')])).version).toBe('570.133.07');
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
        expect(file(p, 'proc/sys/kernel/osrelease')).toBe('5.10.19-200.fc33.x86_64\n');
    });
});

// ---- kernel arguments -------------------------------------------------------------------------

describe('rpm-ostree kargs', () => {
    test('append, delete and replace in one transaction stage a deployment; the reboot brings its arguments', () => {
        const p = prepared('healthy');
        const before = parseKargs(ok(p, 'rpm-ostree', ['kargs']));
        expect(before.slice(0, -1)).toEqual(['rhgb', 'quiet', 'root=UUID=39704a8e-c4fb-4c71-8cf0-68a463243389', 'rootflags=subvol=root', 'rw']);
        expect(parseProcCmdline(file(p, 'proc/cmdline')).filter(a => !a.startsWith('BOOT_IMAGE='))).toEqual(before);
        const out = ok(p, 'rpm-ostree', ['kargs', '--append=rd.driver.blacklist=nouveau', '--append', 'modprobe.blacklist=nouveau', '--append=nvidia-drm.modeset=1', '--delete=rhgb']);
        // the recorded staged form (rpm-ostree-kargs-append-staged-rhcos46-rpmostree2159.txt) with the reboot hint
        expect(out).toBe('Staging deployment... done\nKernel arguments updated.\nRun "systemctl reboot" to start a reboot\n');
        expect(parseKargsChange(out)).toEqual({ kind: 'updated', rebootHint: true, notes: ['Staging deployment... done'] });
        const s = status(p);
        expect(s.deployments.map(d => [d.checksum.slice(0, 8), d.serial, d.staged, d.booted])).toEqual([['63335a77', 1, true, false], ['63335a77', 0, false, true], ['775d54e8', 0, false, false]]);
        // kargs shows the pending deployment's
        const pending = parseKargs(ok(p, 'rpm-ostree', ['kargs']));
        expect(pending.slice(0, -1)).toEqual(['quiet', 'root=UUID=39704a8e-c4fb-4c71-8cf0-68a463243389', 'rootflags=subvol=root', 'rw', 'rd.driver.blacklist=nouveau', 'modprobe.blacklist=nouveau', 'nvidia-drm.modeset=1']);
        expect(file(p, 'proc/cmdline')).not.toContain('nvidia-drm.modeset');
        // replace: KEY=NEW (the key has one value), KEY=OLD=NEW
        ok(p, 'rpm-ostree', ['kargs', '--replace=rd.driver.blacklist=nouveau,nvidiafb', '--replace=nvidia-drm.modeset=1=0']);
        ok(p, 'systemctl', ['reboot']);
        const cmdline = parseProcCmdline(file(p, 'proc/cmdline'));
        expect(cmdline[0]).toMatch(/^BOOT_IMAGE=\(hd0,gpt2\)\/ostree\/fedora-silverblue-[0-9a-f]{64}\/vmlinuz-5\.9\.11-200\.fc33\.x86_64$/);
        expect(cmdline.slice(1, -1)).toEqual(['quiet', 'root=UUID=39704a8e-c4fb-4c71-8cf0-68a463243389', 'rootflags=subvol=root', 'rw', 'rd.driver.blacklist=nouveau,nvidiafb', 'modprobe.blacklist=nouveau', 'nvidia-drm.modeset=0']);
        expect(cmdline.at(-1)).toMatch(/^ostree=\/ostree\/boot\.1\/fedora-silverblue\/[0-9a-f]{64}\/0$/);
        expect(bootedFolder(p)).toBe(`${GOOD}.1`);
        expect(gpuWorks(p)).toBe(true);
        expect(parseKargs(ok(p, 'rpm-ostree', ['kargs']))).toEqual(cmdline.slice(1));
    });

    test('the recorded errors, the delete/replace conflict, nothing changed, non-root', () => {
        const p = prepared('healthy');
        const err = (args: string[]) => {
            const r = run(p, 'rpm-ostree', ['kargs', ...args]);
            expect([r.status, r.stdout]).toEqual([1, '']);
            return r.stderr;
        };
        // a key with another value: the recorded rpm-ostree-kargs-error-no-karg-found-el9-rpmostree4718.txt
        ok(p, 'rpm-ostree', ['kargs', '--append=crashkernel=512M', '--append=nosmt=force', '--append=nosmt=force']);
        expect(err(['--delete=crashkernel=auto'])).toBe(fixture('kargs-cmdline/rpm-ostree-kargs-error-no-karg-found-el9-rpmostree4718.txt'));
        expect(err(['--replace=crashkernel=auto=1G'])).toBe(fixture('kargs-cmdline/rpm-ostree-kargs-error-no-karg-found-el9-rpmostree4718.txt'));
        // a key given twice with a value, deleted without it: the recorded …-multiple-values-fcos30-rpmostree1834.txt
        expect(err(['--delete=nosmt'])).toBe(fixture('kargs-cmdline/rpm-ostree-kargs-delete-error-multiple-values-fcos30-rpmostree1834.txt'));
        expect(err(['--delete=nosuchkey'])).toBe("error: No key 'nosuchkey' found\n");
        expect(err(['--delete=quiet', '--replace=rw=ro'])).toBe('error: Cannot specify both --delete and --replace\n');
        expect(parseKargsChange(err(['--delete=nosmt']))).toMatchObject({ kind: 'error', reason: 'multiple-values' });
        expect(parseKargsChange(err(['--delete=crashkernel=auto']))).toMatchObject({ kind: 'error', reason: 'not-found' });
        const before = ok(p, 'rpm-ostree', ['status', '--json']);
        // nothing to change: nothing printed, no deployment; 77 with --unchanged-exit-77
        expect(run(p, 'rpm-ostree', ['kargs', '--append-if-missing=quiet'])).toEqual({ status: 0, stdout: '', stderr: '' });
        expect(run(p, 'rpm-ostree', ['kargs', '--append-if-missing=quiet', '--unchanged-exit-77']).status).toBe(77);
        expect(ok(p, 'rpm-ostree', ['status', '--json'])).toBe(before);
        if (canRunAsViewer) {
            expect(parseKargs(run(p, 'rpm-ostree', ['kargs'], { viewer: true }).stdout)).toContain('nosmt=force');
            expect(run(p, 'rpm-ostree', ['kargs', '--append=x=1'], { viewer: true })).toEqual({ status: 1, stdout: '', stderr: 'error: rpmostreed OS operation KernelArgs not allowed for user\n' });
        }
    });
});

// ---- overrides ----------------------------------------------------------------------------------

describe('rpm-ostree override replace / reset', () => {
    test('replace with kernel RPM URLs stages the pinned kernel; its tree leaves the prebuilt module behind; reset brings it back', () => {
        const p = prepared('healthy');
        const out = ok(p, 'rpm-ostree', ['override', 'replace', ...PIN_URLS]);
        expect(out.startsWith(PIN_URLS.map(u => `Downloading ${u}...done\n`).join(''))).toBe(true);
        // the recorded override-replace-experimental-kernel-vanilla-fcos35-rpmostreedocs.txt form
        expect(out).toContain('Checking out tree 229387d... done\nResolving dependencies... done\nApplying 6 overrides\nProcessing packages... done\n');
        expect(out).toContain('Writing OSTree commit... done\nStaging deployment... done\nDowngraded:\n  kernel 5.9.11-200.fc33 -> 5.8.15-301.fc33\n  kernel-core 5.9.11-200.fc33 -> 5.8.15-301.fc33\n  kernel-modules 5.9.11-200.fc33 -> 5.8.15-301.fc33\n');
        expect(out.endsWith('Use "rpm-ostree override reset" to undo overrides\nRun "systemctl reboot" to start a reboot\n')).toBe(true);
        const s = status(p);
        const staged = s.deployments[0];
        expect([staged.staged, staged.version, staged.kernel]).toEqual([true, '33.21', { version: '5.8.15-301.fc33.x86_64', source: expect.any(String) }]);
        expect(staged.overrides.requestedLocal).toEqual(['kernel-5.8.15-301.fc33.x86_64', 'kernel-core-5.8.15-301.fc33.x86_64', 'kernel-modules-5.8.15-301.fc33.x86_64',
            'kernel-modules-extra-5.8.15-301.fc33.x86_64', 'rpm-ostree-2021.1-2.fc33.x86_64', 'rpm-ostree-libs-2021.1-2.fc33.x86_64']);
        expect(staged.overrides.local.map(r => [r.replacement.nevra, r.replaced.nevra])).toEqual(expect.arrayContaining([
            ['kernel-core-5.8.15-301.fc33.x86_64', 'kernel-core-5.9.11-200.fc33.x86_64'],
            ['rpm-ostree-2021.1-2.fc33.x86_64', 'rpm-ostree-2021.1-3.fc33.x86_64'],
        ]));
        const dir = deployDir(p, 'fedora-silverblue', staged);
        expect(modulesOf(dir)).toEqual(['5.8.15-301.fc33.x86_64', '5.9.11-200.fc33.x86_64']);
        expect(fs.existsSync(path.join(dir, 'usr/lib/modules/5.9.11-200.fc33.x86_64/extra/nvidia/nvidia.ko.xz'))).toBe(true);
        expect(fs.readdirSync(path.join(dir, 'usr/lib/modules/5.8.15-301.fc33.x86_64'))).toEqual([]);

        const reset = ok(p, 'rpm-ostree', ['override', 'reset', 'kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-extra']);
        expect(reset).toContain('Staging deployment... done\n');
        expect(reset.endsWith('Run "systemctl reboot" to start a reboot\n')).toBe(true);
        const back = status(p).deployments[0];
        expect([back.staged, back.kernel?.version]).toEqual([true, '5.9.11-200.fc33.x86_64']);
        expect(back.overrides.requestedLocal).toEqual(['rpm-ostree-2021.1-2.fc33.x86_64', 'rpm-ostree-libs-2021.1-2.fc33.x86_64']);
        expect(modulesOf(deployDir(p, 'fedora-silverblue', back))).toEqual(['5.9.11-200.fc33.x86_64']);
        // --all drops the recorded rpm-ostree replacements too
        expect(ok(p, 'rpm-ostree', ['override', 'reset', '--all'])).toContain('Upgraded:\n  rpm-ostree 2021.1-2.fc33 -> 2021.1-3.fc33\n');
        expect(status(p).deployments[0].overrides.local).toEqual([]);
    });

    test('local RPM files under the root prefix; missing files, unknown URLs and unknown names fail and change nothing', () => {
        const p = prepared('healthy');
        fs.mkdirSync(path.join(p.root, 'var/tmp'), { recursive: true });
        for (const n of ['kernel', 'kernel-core', 'kernel-modules']) fs.writeFileSync(path.join(p.root, `var/tmp/${n}-5.9.16-200.fc33.x86_64.rpm`), 'rpm');
        const before = ok(p, 'rpm-ostree', ['status', '--json']);
        expect(run(p, 'rpm-ostree', ['override', 'replace', '/var/tmp/kernel-core-6.8.9-300.fc40.x86_64.rpm']))
            .toEqual({ status: 1, stdout: '', stderr: 'error: Handling argument /var/tmp/kernel-core-6.8.9-300.fc40.x86_64.rpm: No such file or directory (os error 2)\n' });
        const url = 'https://kojipkgs.fedoraproject.org/packages/kernel/6.8.9/300.fc40/x86_64/kernel-core-6.8.9-300.fc40.x86_64.rpm';
        expect(run(p, 'rpm-ostree', ['override', 'replace', url]))
            .toEqual({ status: 1, stdout: `Downloading ${url}...failed\n`, stderr: `error: Handling argument ${url}: [22] HTTP response code said error (The requested URL returned error: 404)\n` });
        expect(run(p, 'rpm-ostree', ['override', 'reset', 'kernel'])).toMatchObject({ status: 1, stderr: "error: No overrides for package 'kernel'\n" });
        expect(ok(p, 'rpm-ostree', ['status', '--json'])).toBe(before);
        const out = ok(p, 'rpm-ostree', ['override', 'replace', ...['kernel', 'kernel-core', 'kernel-modules'].map(n => `/var/tmp/${n}-5.9.16-200.fc33.x86_64.rpm`)]);
        expect(out).toContain('Upgraded:\n  kernel 5.9.11-200.fc33 -> 5.9.16-200.fc33\n');
        expect(status(p).deployments[0].kernel?.version).toBe('5.9.16-200.fc33.x86_64');
    });

    test('kernel-pinned-overrides: the booted deployment carries the overrides; reset stages the base kernel', () => {
        const p = prepared('kernel-pinned-overrides');
        const s = status(p);
        expect(brief(s)).toEqual([['33.21', true, false, '5.8.15-301.fc33.x86_64'], ['33.21', false, false, null]]);
        expect(modulesOf(deployDir(p, 'fedora-silverblue', s.deployments[1]))).toEqual(['5.9.11-200.fc33.x86_64']);
        expect(s.deployments[0].overrides.local.map(r => r.replacement.name).sort()).toEqual(['kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-extra', 'rpm-ostree', 'rpm-ostree-libs']);
        expect(gpuWorks(p)).toBe(true);
        expect(file(p, 'proc/sys/kernel/osrelease')).toBe('5.8.15-301.fc33.x86_64\n');
        expect(ok(p, 'rpm-ostree', ['override', 'reset', 'kernel', 'kernel-core', 'kernel-modules', 'kernel-modules-extra'])).toContain('Upgraded:\n  kernel 5.8.15-301.fc33 -> 5.9.11-200.fc33\n');
        const staged = status(p).deployments[0];
        expect([staged.staged, staged.kernel?.version, staged.overrides.requestedLocal]).toEqual([true, '5.9.11-200.fc33.x86_64', ['rpm-ostree-2021.1-2.fc33.x86_64', 'rpm-ostree-libs-2021.1-2.fc33.x86_64']]);
        expect(modulesOf(deployDir(p, 'fedora-silverblue', staged))).toEqual(['5.9.11-200.fc33.x86_64']);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
        expect(parseModinfo(ok(p, 'modinfo', ['nvidia'])).vermagicKernel).toBe('5.9.11-200.fc33.x86_64');
    });
});

// ---- skopeo and image tags --------------------------------------------------------------------

describe('skopeo and dated image tags', () => {
    test('list-tags and inspect in the recorded formats, each tag\'s kernel in ostree.linux', () => {
        const p = prepared('ublue-dated-tags');
        const list = ok(p, 'skopeo', ['list-tags', `docker://${UBLUE}`]);
        expect(JSON.parse(list)).toEqual({ Repository: UBLUE, Tags: ['41', 'latest', 'stable', 'stable-20250302', 'stable-20250309', 'stable-20250316'] });
        // Go's MarshalIndent layout, as the recorded list
        expect(list).toMatch(/^\{\n {4}"Repository": "ghcr\.io\/ublue-os\/bluefin-nvidia",\n {4}"Tags": \[\n {8}"41",\n/);
        const recorded = JSON.parse(fixture('skopeo/inspect-docker-fedora37-repotags-trimmed-skopeodocs.json'));
        const kernels: Record<string, string> = {};
        for (const tag of ['stable-20250302', 'stable-20250309', 'stable-20250316', 'stable', '41', 'latest']) {
            const out = ok(p, 'skopeo', ['inspect', `docker://${UBLUE}:${tag}`]);
            const j = JSON.parse(out);
            expect(Object.keys(j)).toEqual(Object.keys(recorded));
            expect(Object.keys(j.Labels)).toEqual([...Object.keys(j.Labels)].sort());
            expect(j.RepoTags).toContain('stable-20250309');
            kernels[tag] = j.Labels['ostree.linux'];
        }
        expect(kernels).toEqual({
            'stable-20250302': '6.12.15-200.fc41.x86_64', 'stable-20250309': '6.13.5-200.fc41.x86_64', 'stable-20250316': '6.13.6-200.fc41.x86_64',
            'stable': '6.13.6-200.fc41.x86_64', '41': '6.13.6-200.fc41.x86_64', 'latest': '6.13.7-200.fc41.x86_64',
        });
        // the booted image is the one :stable points at
        const s = status(p);
        expect(s.deployments[0]).toMatchObject({ booted: true, imageDigest: JSON.parse(ok(p, 'skopeo', ['inspect', `docker://${UBLUE}:stable`])).Digest });
        expect(JSON.parse(ok(p, 'skopeo', ['inspect', '--no-tags', `docker://${UBLUE}:stable`])).RepoTags).toEqual([]);
    });

    test('unknown tags and repositories fail with skopeo\'s words; a tag is refused by list-tags', () => {
        const p = prepared('ublue-dated-tags');
        const fatal = (args: string[]) => {
            const r = run(p, 'skopeo', args);
            expect([r.status, r.stdout]).toEqual([1, '']);
            const m = /^time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ" level=fatal msg="(.*)"\n$/.exec(r.stderr);
            expect(m).not.toBeNull();
            return m![1];
        };
        expect(fatal(['inspect', `docker://${UBLUE}:stable-20990101`])).toBe(`Error parsing image name \\"docker://${UBLUE}:stable-20990101\\": reading manifest stable-20990101 in ${UBLUE}: manifest unknown`);
        expect(fatal(['inspect', 'docker://ghcr.io/ublue-os/nope:stable'])).toBe('Error parsing image name \\"docker://ghcr.io/ublue-os/nope:stable\\": reading manifest stable in ghcr.io/ublue-os/nope: name unknown: repository name not known to registry');
        expect(fatal(['list-tags', 'docker://ghcr.io/ublue-os/nope'])).toBe('Error listing repository tags: fetching tags list: name unknown: repository name not known to registry');
        expect(fatal(['list-tags', `docker://${UBLUE}:stable`])).toBe('No tag or digest allowed in reference');
        // a host without skopeo lacks it
        expect(spawnSync('/bin/sh', ['-c', 'command -v skopeo'], { env: prepared('healthy').env }).status).not.toBe(0);
    });

    test('rebase to a dated tag pins the image and its kernel; latest brings no module', () => {
        const p = prepared('ublue-dated-tags');
        const ref = (tag: string) => `ostree-image-signed:docker://${UBLUE}:${tag}`;
        const out = ok(p, 'rpm-ostree', ['rebase', ref('stable-20250302')]);
        expect(out).toContain('Downgraded:\n  kernel 6.13.6-200.fc41 -> 6.12.15-200.fc41\n');
        const staged = status(p).deployments[0];
        expect(staged).toMatchObject({ staged: true, version: '41.20250302.0', kernel: { version: '6.12.15-200.fc41.x86_64' } });
        expect(staged.origin).toMatchObject({ kind: 'container-image', tag: 'stable-20250302' });
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
        expect(parseModinfo(ok(p, 'modinfo', ['nvidia'])).vermagicKernel).toBe('6.12.15-200.fc41.x86_64');
        ok(p, 'rpm-ostree', ['rebase', ref('latest')]);
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(false);
        const bad = run(p, 'rpm-ostree', ['rebase', ref('stable-20990101')]);
        expect([bad.status, bad.stderr]).toEqual([1, `error: Creating importer: failed to invoke method OpenImage: reading manifest stable-20990101 in ${UBLUE}: manifest unknown\n`]);
    });
});

// ---- mokutil ------------------------------------------------------------------------------------

/** mokutil under a pty (util-linux script), answering each password prompt when it appears. */
async function mokutilPty(p: Prepared, args: string[], answers: string[]): Promise<{ code: number | null, out: string }> {
    const cmd = [path.join(p.state, 'bin/mokutil'), ...args].map(a => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { env: { ...p.env, AIWS_SIM_TIME_SCALE: FAST } });
    let out = '';
    let prompts = 0;
    const done = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
    child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const seen = (out.match(/input password( again)?: /g) ?? []).length;
        while (prompts < seen) {
            child.stdin.write(`${answers[prompts] ?? ''}\n`);
            prompts++;
        }
    });
    const code = await done;
    return { code, out: out.replace(/\r\n/g, '\n') };
}

describe('mokutil', () => {
    const DER = '/etc/pki/akmods/certs/public_key.der';

    test('--import asks the password twice on the terminal; --list-new shows the request; the reboot enrols the key and the module loads', async () => {
        const p = prepared('secure-boot-key-not-enrolled');
        expect(ok(p, 'mokutil', ['--sb-state'])).toBe('SecureBoot enabled\n');
        expect(ok(p, 'mokutil', ['--list-new'])).toBe('MokNew is empty\n');
        const before = parseEnrolledKeys(ok(p, 'mokutil', ['--list-enrolled']));
        expect(isSignerEnrolled(SIGNER, before)).toBe(false);
        expect(gpuWorks(p)).toBe(false);
        const r = await mokutilPty(p, ['--import', DER], ['s3cret-Pw', 's3cret-Pw']);
        expect(r.code).toBe(0);
        expect(r.out).toBe('input password: \ninput password again: \n');
        const pending = parseEnrolledKeys(ok(p, 'mokutil', ['--list-new']));
        expect(pending).toEqual([expect.objectContaining({ subjectCn: SIGNER })]);
        // a second import of the same key: mokutil skips it without asking
        expect(run(p, 'mokutil', ['--import', DER])).toEqual({ status: 0, stdout: `SKIP: ${DER} is already in the enrollement request\n`, stderr: '' });
        ok(p, 'systemctl', ['reboot']);
        expect(ok(p, 'mokutil', ['--list-new'])).toBe('MokNew is empty\n');
        const listed = ok(p, 'mokutil', ['--list-enrolled']);
        // the recorded list, then the new key as [key 2]
        expect(listed.startsWith(fixture('nvidia-driver/mokutil-list-enrolled-canonical-ubuntu2204-hex.txt'))).toBe(true);
        const after = parseEnrolledKeys(listed);
        expect(after.map(k => k.subjectCn)).toEqual(['Canonical Ltd. Master Certificate Authority', SIGNER]);
        expect(isSignerEnrolled(SIGNER, after)).toBe(true);
        expect(ok(p, 'mokutil', ['--sb-state'])).toBe('SecureBoot enabled\n');
        expect(gpuWorks(p)).toBe(true);
        expect(run(p, 'mokutil', ['--import', DER]).stdout).toBe(`SKIP: ${DER} is already enrolled\n`);
        // a later reboot keeps it loaded
        ok(p, 'systemctl', ['reboot']);
        expect(gpuWorks(p)).toBe(true);
    });

    test('a second line that differs is asked again, three times, then Abort; a missing file; a file that is no certificate', async () => {
        const p = prepared('secure-boot-key-not-enrolled');
        const r = await mokutilPty(p, ['--import', DER], ['one', 'two', 'three', 'four']);
        expect(r.code).toBe(255);
        expect(r.out).toBe("input password: \ninput password again: \npassword doesn't match\ninput password again: \npassword doesn't match\ninput password again: \npassword doesn't match\nAbort\n");
        expect(r.out).not.toContain('one');
        expect(ok(p, 'mokutil', ['--list-new'])).toBe('MokNew is empty\n');
        // a mismatch then the right line goes through (stdin a pipe this time)
        expect(run(p, 'mokutil', ['--import', DER], { input: 'pw\nwrong\npw\n' })).toEqual({ status: 0, stdout: 'input password: \ninput password again: \ninput password again: \n', stderr: "password doesn't match\n" });
        expect(run(p, 'mokutil', ['--import', '/root/missing.der'])).toEqual({ status: 255, stdout: '', stderr: 'Failed to get file status, /root/missing.der\n' });
        expect(run(p, 'mokutil', ['--import', '/etc/os-release'])).toEqual({ status: 255, stdout: '', stderr: 'Abort!!! /etc/os-release is not a valid x509 certificate in DER format\n' });
    });
});
