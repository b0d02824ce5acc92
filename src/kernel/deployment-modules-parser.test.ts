/** @jest-environment node */
// deployment-modules.sh and its parser: the parser on hand-written answers in the script's
// format, then the real script under a root prefix whose deployment trees hold module files,
// with a fake modinfo that prints recorded modinfo output for them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParseError } from '../../pkg/lib/parse-error';
import { FIXTURES_DIR, readFixture } from '../../test/unit/fixtures';
import { parseDeploymentModules } from './deployment-modules-parser';

const SCRIPT = path.join(__dirname, 'deployment-modules.sh');
const C1 = '63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb';
const C2 = '775d54e89bc74731ec27db04f12510c0269c8cbab3ad5e39e0a4d693231ef072';
const PROPRIETARY_510 = 'nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt';
// the author's "--- cut ---" marker is no modinfo output
const OPEN_550 = readFixture('nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt').replace(/^--- cut ---\n?/m, '');
const NOT_FOUND = 'nvidia-driver/modinfo-error-module-not-found-fc25-bumblebee853.txt';

describe('parser', () => {
    test('deployments, their kernels and modules; a failing modinfo is that module\'s error', () => {
        const trees = parseDeploymentModules([
            'aiws-deployment-modules 1',
            `@@aiws deployment fedora/${C1}.0`,
            '@@aiws kernel 5.17.9-300.fc36.x86_64',
            '@@aiws module usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia.ko.xz exit=0',
            readFixture(PROPRIETARY_510).trimEnd(),
            '@@aiws kernel 5.18.0-1.fc36.x86_64',
            '@@aiws module usr/lib/modules/5.18.0-1.fc36.x86_64/extra/nvidia/nvidia.ko.xz exit=1',
            readFixture(NOT_FOUND).trimEnd(),
            '@@aiws module usr/lib/modules/5.18.0-1.fc36.x86_64/updates/nvidia.ko exit=0',
            'this is not modinfo',
            `@@aiws deployment fedora/${C2}.1`,
            '@@aiws kernel 6.8.9-300.fc40.x86_64',
            '@@aiws module usr/lib/modules/6.8.9-300.fc40.x86_64/extra/nvidia/nvidia.ko absent',
            '@@aiws end ok',
            '',
        ].join('\n'));
        expect(trees.map(t => [t.osname, t.checksum, t.serial, t.kernels.map(k => k.version)])).toEqual([
            ['fedora', C1, 0, ['5.17.9-300.fc36.x86_64', '5.18.0-1.fc36.x86_64']],
            ['fedora', C2, 1, ['6.8.9-300.fc40.x86_64']],
        ]);
        const [ok] = trees[0].kernels[0].modules;
        expect(ok.modinfo).toMatchObject({ version: '510.68.02', flavour: 'proprietary', vermagicKernel: '5.17.9-300.fc36.x86_64', signer: null });
        expect(ok.error).toBeNull();
        const [failed, foreign] = trees[0].kernels[1].modules;
        expect(failed).toEqual({ path: 'usr/lib/modules/5.18.0-1.fc36.x86_64/extra/nvidia/nvidia.ko.xz', modinfo: null, error: 'modinfo: ERROR: Module nvidia not found.' });
        expect(foreign.modinfo).toBeNull();
        expect(foreign.error).toMatch(/unknown format/);
        expect(trees[1].kernels[0].modules).toEqual([{ path: 'usr/lib/modules/6.8.9-300.fc40.x86_64/extra/nvidia/nvidia.ko', modinfo: null, error: 'modinfo is not installed' }]);
    });

    test('a failing modinfo without words still says what happened', () => {
        const [tree] = parseDeploymentModules(`aiws-deployment-modules 1\n@@aiws deployment d/${C1}.0\n@@aiws kernel k\n@@aiws module usr/lib/modules/k/nvidia.ko exit=139\n@@aiws end ok\n`);
        expect(tree.kernels[0].modules[0].error).toBe('modinfo exited with status 139');
    });

    test('no deployments is an empty list; a folder that is no deployment is skipped with its kernels', () => {
        expect(parseDeploymentModules('aiws-deployment-modules 1\n@@aiws end ok\n')).toEqual([]);
        const trees = parseDeploymentModules(`aiws-deployment-modules 1\n@@aiws deployment d/not-a-deployment\n@@aiws kernel k\n@@aiws deployment d/${C2}.0\n@@aiws end ok\n`);
        expect(trees).toEqual([{ osname: 'd', checksum: C2, serial: 0, kernels: [] }]);
    });

    test.each([
        ['foreign output', '<html>'],
        ['another script', 'aiws-gpu-facts 1\n@@aiws end ok\n'],
        ['truncated', `aiws-deployment-modules 1\n@@aiws deployment d/${C1}.0\n@@aiws kernel k\n`],
        ['a kernel before any deployment', 'aiws-deployment-modules 1\n@@aiws kernel k\n@@aiws end ok\n'],
        ['a module before any kernel', `aiws-deployment-modules 1\n@@aiws deployment d/${C1}.0\n@@aiws module x exit=0\n@@aiws end ok\n`],
        ['a module line without a status', `aiws-deployment-modules 1\n@@aiws deployment d/${C1}.0\n@@aiws kernel k\n@@aiws module x\n@@aiws end ok\n`],
        ['an unknown section', 'aiws-deployment-modules 1\n@@aiws weird thing\n@@aiws end ok\n'],
        ['text outside any module', 'aiws-deployment-modules 1\nstray\n@@aiws end ok\n'],
    ])('%s is a ParseError', (_name, text) => {
        expect(() => parseDeploymentModules(text)).toThrow(ParseError);
    });
});

describe('the real script under a root prefix', () => {
    let root: string;
    let bin: string;

    const file = (relative: string, content = '', mode = 0o644) => {
        const p = path.join(root, relative);
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, content, { mode });
    };
    const run = () => {
        const result = spawnSync('/bin/sh', [SCRIPT], { env: { PATH: bin, AI_WORKSTATION_ROOT: root }, encoding: 'utf8' });
        expect(result.status).toBe(0);
        return parseDeploymentModules(result.stdout);
    };

    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-modules-'));
        bin = path.join(root, 'bin');
        fs.mkdirSync(bin);
        for (const tool of ['find', 'sort', 'cat']) {
            const found = ['/usr/bin', '/bin'].map(dir => path.join(dir, tool)).find(p => fs.existsSync(p));
            fs.symlinkSync(found!, path.join(bin, tool));
        }
        file('open-550.txt', OPEN_550);
        // modinfo answers per kernel folder with a recording of that module; anything else
        // gets the recorded "not found" error, with kmod's exit status 1
        file('bin/modinfo', [
            '#!/bin/sh',
            'case "$1" in',
            `*/5.17.9-300.fc36.x86_64/*) cat '${path.join(FIXTURES_DIR, PROPRIETARY_510)}' ;;`,
            `*/6.8.9-300.fc40.x86_64/*) cat '${path.join(root, 'open-550.txt')}' ;;`,
            `*) cat '${path.join(FIXTURES_DIR, NOT_FOUND)}' >&2; exit 1 ;;`,
            'esac',
            '',
        ].join('\n'), 0o755);
        const d1 = `ostree/deploy/fedora/deploy/${C1}.0`;
        file(`${d1}/usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia.ko.xz`);
        // not the core module: left out
        file(`${d1}/usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia-drm.ko.xz`);
        file(`${d1}/usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia-uvm.ko.xz`);
        // the build link points out of the tree (to kernel-devel); it must not be walked
        file('usr/src/kernels/5.17.9-300.fc36.x86_64/nvidia.ko');
        fs.symlinkSync(path.join(root, 'usr/src/kernels/5.17.9-300.fc36.x86_64'), path.join(root, d1, 'usr/lib/modules/5.17.9-300.fc36.x86_64/build'));
        file(`ostree/deploy/fedora/deploy/${C1}.0.origin`, '[origin]\nrefspec=fedora:fedora/36/x86_64/silverblue\n');
        const d2 = `ostree/deploy/fedora/deploy/${C2}.1`;
        file(`${d2}/usr/lib/modules/6.8.9-300.fc40.x86_64/kernel/drivers/video/nvidia.ko`);
        // deeper than 4: not where modules of this driver live
        file(`${d2}/usr/lib/modules/6.8.9-300.fc40.x86_64/updates/a/b/c/nvidia.ko`);
        file(`${d2}/usr/lib/modules/6.9.0-1.fc40.x86_64/updates/dkms/nvidia.ko.zst`);
        file(`${d2}/usr/lib/modules/6.9.0-1.fc40.x86_64/modules.dep`);
        fs.mkdirSync(path.join(root, 'ostree/deploy/other/deploy', `${C2}.0`), { recursive: true });
    });

    afterEach(() => {
        fs.rmSync(root, { recursive: true, force: true });
    });

    test('every deployment with its kernels, modinfo of each core module, errors kept per module', () => {
        const trees = run();
        expect(trees.map(t => `${t.osname}/${t.checksum}.${t.serial}`)).toEqual([`fedora/${C1}.0`, `fedora/${C2}.1`, `other/${C2}.0`]);
        const [k1] = trees[0].kernels;
        expect(k1.version).toBe('5.17.9-300.fc36.x86_64');
        expect(k1.modules.map(m => m.path)).toEqual(['usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia.ko.xz']);
        expect(k1.modules[0].modinfo?.version).toBe('510.68.02');
        const [k2, k3] = trees[1].kernels;
        expect(k2.modules.map(m => m.path)).toEqual(['usr/lib/modules/6.8.9-300.fc40.x86_64/kernel/drivers/video/nvidia.ko']);
        expect(k2.modules[0].modinfo).toMatchObject({ version: '550.78', flavour: 'open', signer: 'Nvidia Driver Kmod Signing MOK' });
        expect(k3.version).toBe('6.9.0-1.fc40.x86_64');
        expect(k3.modules).toEqual([{ path: 'usr/lib/modules/6.9.0-1.fc40.x86_64/updates/dkms/nvidia.ko.zst', modinfo: null, error: 'modinfo: ERROR: Module nvidia not found.' }]);
        expect(trees[2].kernels).toEqual([]);
    });

    test('without modinfo every module says so', () => {
        fs.rmSync(path.join(bin, 'modinfo'));
        const trees = run();
        expect(trees[0].kernels[0].modules[0]).toEqual({ path: 'usr/lib/modules/5.17.9-300.fc36.x86_64/extra/nvidia/nvidia.ko.xz', modinfo: null, error: 'modinfo is not installed' });
    });

    test('a host without /ostree answers with no deployments', () => {
        fs.rmSync(path.join(root, 'ostree'), { recursive: true });
        expect(run()).toEqual([]);
    });
});
