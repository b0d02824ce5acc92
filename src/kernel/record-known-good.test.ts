/** @jest-environment node */
// record-known-good.sh run for real under a root prefix: the booted deployment found the way
// the kernel command line names it (a recorded /proc/cmdline, the boot.N -> deploy links
// ostree makes), nvidia-smi a tiny sh script answering with recorded output, and PATH holding
// only the basic utilities the script needs, so the machine's own tools cannot leak in.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FIXTURES_DIR, readFixture } from '../../test/unit/fixtures';
import { parseKnownGood, recordOfLine } from './known-good';

const SCRIPT = path.join(__dirname, 'record-known-good.sh');
const UTILITIES = ['readlink', 'sed', 'head', 'awk', 'grep', 'tail', 'mv', 'mkdir', 'rm', 'date', 'cat'];
// proc-cmdline-rhel94-image-mode.txt: ostree=/ostree/boot.1/default/81dec195…/0
const CMDLINE = 'kargs-cmdline/proc-cmdline-rhel94-image-mode.txt';
const BOOTCSUM = '81dec1950eaf6e6762aa1f6e509104eaf342f51730155a0484d09fbc56a54044';
const CHECKSUM = 'bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2';
const KNOWN_GOOD = 'var/lib/cockpit-ai-workstation/known-good.jsonl';

let root: string;
let bin: string;

function write(relative: string, content: string, mode = 0o644) {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content, { mode });
}

/** nvidia-smi printing a recorded file and exiting with `exit`. */
function fakeNvidiaSmi(fixture: string, exit = 0) {
    write('bin/nvidia-smi', `#!/bin/sh\ncat '${path.join(FIXTURES_DIR, fixture)}'\nexit ${exit}\n`, 0o755);
}

function run(): { status: number | null, stderr: string, file: string | null } {
    const result = spawnSync('/bin/sh', [SCRIPT], { env: { PATH: bin, AI_WORKSTATION_ROOT: root }, encoding: 'utf8' });
    const file = path.join(root, KNOWN_GOOD);
    return { status: result.status, stderr: result.stderr, file: fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null };
}

beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-known-good-'));
    bin = path.join(root, 'bin');
    fs.mkdirSync(bin);
    for (const tool of UTILITIES) {
        const found = ['/usr/bin', '/bin'].map(dir => path.join(dir, tool)).find(p => fs.existsSync(p));
        if (!found)
            throw new Error(`this machine lacks ${tool}`);
        fs.symlinkSync(found, path.join(bin, tool));
    }
    // a healthy host: the deployment ostree= leads to, its os-release, a loaded module
    write('proc/cmdline', readFixture(CMDLINE));
    const deployment = `ostree/deploy/default/deploy/${CHECKSUM}.0`;
    write(`${deployment}/usr/lib/os-release`, readFixture('os-release/fedora-silverblue-34-lkml.txt'));
    fs.mkdirSync(path.join(root, `ostree/boot.1.1/default/${BOOTCSUM}`), { recursive: true });
    fs.symlinkSync(`../../../deploy/default/deploy/${CHECKSUM}.0`, path.join(root, `ostree/boot.1.1/default/${BOOTCSUM}/0`));
    fs.symlinkSync('boot.1.1', path.join(root, 'ostree/boot.1'));
    write('proc/sys/kernel/osrelease', '5.14.0-427.4.1.el9_4.x86_64\n');
    write('sys/module/nvidia/version', '590.48.01\n');
    fakeNvidiaSmi('nvidia-smi-text/list-L-h100-mig-590.txt');
});

afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
});

test('a healthy boot writes one line that parses as the booted deployment, with the GPUs of nvidia-smi -L', () => {
    const { status, file } = run();
    expect(status).toBe(0);
    expect(file).not.toBeNull();
    expect(file!.endsWith('\n')).toBe(true);
    expect(file!.trim().split('\n')).toHaveLength(1);
    const parsed = parseKnownGood(file!);
    expect(parsed.ignoredLines).toBe(0);
    expect(parsed.records).toEqual([{
        checksum: CHECKSUM,
        osname: 'default',
        version: '34.20210721.0',
        kernel: '5.14.0-427.4.1.el9_4.x86_64',
        driverVersion: '590.48.01',
        // the MIG devices listed under the GPU are not GPUs of their own
        gpus: ['NVIDIA H100 80GB HBM3'],
        recordedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        recordedBy: 'boot',
    }]);
});

test('VERSION_ID stands in for a missing OSTREE_VERSION', () => {
    write(`ostree/deploy/default/deploy/${CHECKSUM}.0/usr/lib/os-release`, 'NAME="Red Hat Enterprise Linux"\nVERSION_ID="9.4"\n');
    expect(parseKnownGood(run().file!).records[0].version).toBe('9.4');
});

test.each([
    ['nvidia-smi fails (recorded message, exit 9)', () => fakeNvidiaSmi('nvidia-smi-errors/couldnt-communicate.txt', 9), /exit 9\): NVIDIA-SMI has failed/],
    ['nvidia-smi lists no GPU', () => fakeNvidiaSmi('nvidia-smi-errors/no-devices-found.txt', 0), /listed no GPU/],
    ['nvidia-smi is not installed', () => fs.rmSync(path.join(bin, 'nvidia-smi')), /not installed/],
    ['the module is not loaded', () => fs.rmSync(path.join(root, 'sys/module/nvidia'), { recursive: true }), /not loaded/],
    ['not booted from a deployment', () => write('proc/cmdline', 'BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro\n'), /no ostree=/],
    ['ostree= leads to no deployment', () => fs.rmSync(path.join(root, 'ostree/boot.1')), /leads/],
])('not healthy: %s → nothing written, exit 0, the reason on stderr', (_name, breakIt, reason) => {
    breakIt();
    const { status, stderr, file } = run();
    expect(status).toBe(0);
    expect(file).toBeNull();
    expect(stderr).toMatch(reason);
});

test('unhealthy leaves an existing file exactly as it was', () => {
    const before = '{"not":"a record"}\n';
    write(KNOWN_GOOD, before);
    fakeNvidiaSmi('nvidia-smi-errors/nvml-version-mismatch-535-exit18-gputil55.txt', 18);
    expect(run().file).toBe(before);
});

function otherLine(i: number): string {
    const checksum = i.toString(16).padStart(64, '0');
    return JSON.stringify({ checksum, osname: 'default', version: `v${i}`, kernel: 'k', driverVersion: 'd', gpus: ['g'], recordedAt: '2026-01-01T00:00:00Z', recordedBy: 'boot' });
}

test('the file keeps the newest 50 lines: the 49 last old ones and the new one', () => {
    write(KNOWN_GOOD, Array.from({ length: 60 }, (_, i) => otherLine(i)).join('\n') + '\n');
    const lines = run().file!.trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[0]).toBe(otherLine(11));
    expect(lines[48]).toBe(otherLine(59));
    expect(recordOfLine(lines[49])?.checksum).toBe(CHECKSUM);
});

test('older lines of the same deployment are replaced, not piled up', () => {
    write(KNOWN_GOOD, otherLine(1) + '\n');
    run();
    run();
    const { file } = run();
    const lines = file!.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(otherLine(1));
    expect(parseKnownGood(file!).records.map(r => r.checksum)).toEqual([otherLine(1).slice(13, 77), CHECKSUM]);
});

test('GPU names with quotes, backslashes and control characters stay valid JSON', () => {
    const name = 'Tesla "T4" \\ with\ttab and \x01';
    write('bin/nvidia-smi', `#!/bin/sh\nprintf '%s\\n' 'GPU 0: ${name} (UUID: GPU-00000000-0000-0000-0000-000000000000)' 'GPU 1: NVIDIA (rev. 2) (UUID: GPU-1)'\n`, 0o755);
    const { file } = run();
    const record = recordOfLine(file!.trim());
    expect(record?.gpus).toEqual([name, 'NVIDIA (rev. 2)']);
    expect(file).toContain('\\u0001');
});

test('a corrupt last line without its newline stays as it is and does not break the new line', () => {
    const corrupt = '{"checksum":"abc","truncat';
    write(KNOWN_GOOD, otherLine(1) + '\n' + corrupt);
    const { file } = run();
    expect(file!.split('\n')).toEqual([otherLine(1), corrupt, expect.stringContaining(CHECKSUM), '']);
    const parsed = parseKnownGood(file!);
    expect(parsed.ignoredLines).toBe(1);
    expect(parsed.records).toHaveLength(2);
});

test('no temporary file is left behind', () => {
    run();
    expect(fs.readdirSync(path.join(root, 'var/lib/cockpit-ai-workstation'))).toEqual(['known-good.jsonl']);
});
