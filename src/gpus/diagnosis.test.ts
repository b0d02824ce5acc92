// Every nvidia-smi failure on record maps to its named condition, and the kernel-side
// facts decide the cause behind "couldn't communicate". Inputs are recordings, put
// together the way gpu-facts.sh reports them.
import { readFixture } from '../../test/unit/fixtures';
import type { Condition, DeploymentsHint, DriverFacts, NvidiaSmiOutcome } from './gpu';
import { diagnose } from './diagnosis';
import { driverFactsOf } from './driver-facts';
import { parseFactSections } from './gpu-facts-sections';

type Section = [name: string, status: string, text?: string];

const FC40_KERNEL = '6.8.9-300.fc40.x86_64';
const OPEN_SIGNED_MODINFO = readFixture('nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt').replace(/^--- cut ---\n?/m, '');

function facts(sections: Section[], nvidiaSmi: NvidiaSmiOutcome, deployments: DeploymentsHint | null = null): DriverFacts {
    const text = ['aiws-gpu-facts 1',
        ...sections.flatMap(([name, status, body]) => [`@@aiws ${name} ${status}`, ...(body === undefined ? [] : [body.replace(/\n$/, '')])]),
        '@@aiws end ok', ''].join('\n');
    return { ...driverFactsOf(parseFactSections(text), nvidiaSmi), deployments };
}

const failed = (fixture: string, exit: number): NvidiaSmiOutcome => ({ kind: 'failed', exit, text: readFixture(`nvidia-smi-errors/${fixture}`) });
const healthyOk: NvidiaSmiOutcome = { kind: 'ok', driverVersion: '550.78', text: '' };
const rpmOstree: DeploymentsHint = { tool: 'rpm-ostree', stagedVersion: null, rollbackVersion: '40.20240501.0', rollbackNeedsCleanup: false };

const loaded: Section[] = [
    ['kernel', 'ok', FC40_KERNEL],
    ['module-version', 'ok', '550.78'],
    ['loaded:nvidia', 'ok'],
    ['modinfo', 'exit=0', OPEN_SIGNED_MODINFO],
    ['lspci', 'exit=0', readFixture('lspci/lspci-nnk-rtx3080-nvidia-vanities6.txt')],
];
const notLoaded: Section[] = [
    ['kernel', 'ok', FC40_KERNEL],
    ['module-version', 'missing'],
    ['modinfo', 'exit=0', OPEN_SIGNED_MODINFO],
];

function verdict(f: DriverFacts): Condition {
    return diagnose(f).condition;
}

test('a working driver is healthy, and says which', () => {
    const d = diagnose(facts(loaded, healthyOk));
    expect(d).toMatchObject({ condition: 'healthy', severity: 'ok' });
    expect(d.cause).toContain('550.78');
});

test.each([
    ['nvml-version-mismatch-550.txt', 18, 'version-mismatch'],
    ['nvml-version-mismatch-old.txt', 18, 'version-mismatch'],
    ['libnvidia-ml-not-found.txt', 127, 'nvml-missing'],
    ['no-devices-found.txt', 6, 'no-devices'],
    ['gpu-is-lost-marian251.txt', 15, 'gpu-lost'],
    ['device-handle-unknown-error.txt', 255, 'device-handle-unknown'],
    ['couldnt-communicate.txt', 9, 'driver-not-loaded'],
])('%s → %s', (fixture, exit, condition) => {
    const d = diagnose(facts(condition === 'driver-not-loaded' ? notLoaded : loaded, failed(fixture, exit), rpmOstree));
    expect(d.condition).toBe(condition);
    expect(d.severity).toBe('danger');
    expect(d.remedy).not.toBe('');
    // the tool's own words are quoted
    expect(d.details?.[0]).toBe(readFixture(`nvidia-smi-errors/${fixture}`).split('\n')[0].trim());
});

test('a version mismatch names both versions and the way out', () => {
    const d = diagnose(facts(loaded, failed('nvml-version-mismatch-550.txt', 18), { tool: 'rpm-ostree', stagedVersion: '40.20240520.0', rollbackVersion: '40.20240501.0', rollbackNeedsCleanup: false }));
    expect(d.cause).toContain('550.78');
    expect(d.cause).toContain('550.144');
    expect(d.remedy).toContain('staged deployment 40.20240520.0');
    expect(d.remedy).toContain('rpm-ostree rollback');
    const plain = diagnose(facts(loaded, failed('nvml-version-mismatch-550.txt', 18)));
    expect(plain.remedy).toContain('systemctl reboot');
    expect(plain.remedy).not.toContain('rpm-ostree');
});

test('an unknown message is an unknown failure, quoted, never healthy', () => {
    const d = diagnose(facts(loaded, { kind: 'failed', exit: 4, text: 'Insufficient Permissions\n' }));
    expect(d.condition).toBe('unknown-failure');
    expect(d.details).toEqual(['Insufficient Permissions']);
});

describe('behind "couldn\'t communicate with the NVIDIA driver"', () => {
    const communicate = failed('couldnt-communicate.txt', 9);

    test('nouveau bound to the GPU', () => {
        const f = facts([...notLoaded, ['loaded:nouveau', 'ok'], ['lspci', 'exit=0', readFixture('lspci/lspci-vv-gtx970-nouveau-negativo17-73.txt')]], communicate, rpmOstree);
        const d = diagnose(f);
        expect(d.condition).toBe('nouveau-bound');
        expect(d.cause).toContain('0000:01:00.0');
        expect(d.remedy).toContain('rpm-ostree kargs --append=rd.driver.blacklist=nouveau');
    });

    test('no module for the running kernel (modinfo finds none)', () => {
        const f = facts([['kernel', 'ok', '6.9.4-200.fc40.x86_64'], ['module-version', 'missing'], ['modinfo', 'exit=1', 'modinfo: ERROR: Module nvidia not found.']], communicate, rpmOstree);
        const d = diagnose(f);
        expect(d.condition).toBe('module-kernel-mismatch');
        expect(d.cause).toContain('6.9.4-200.fc40.x86_64');
        expect(d.remedy).toContain('rpm-ostree rollback');
        expect(d.remedy).toContain('40.20240501.0');
    });

    test('a module built for another kernel', () => {
        const f = facts([['kernel', 'ok', '6.9.4-200.fc40.x86_64'], ['module-version', 'missing'], ['modinfo', 'exit=0', OPEN_SIGNED_MODINFO]], communicate);
        const d = diagnose(f);
        expect(d.condition).toBe('module-kernel-mismatch');
        expect(d.cause).toContain(FC40_KERNEL);
        expect(d.remedy).toContain('akmods --force');
    });

    test('an unsigned module under Secure Boot', () => {
        const unsigned = readFixture('nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt');
        const f = facts([['kernel', 'ok', '5.17.9-300.fc36.x86_64'], ['module-version', 'missing'], ['modinfo', 'exit=0', unsigned],
            ['sb-state', 'exit=0', readFixture('nvidia-driver/mokutil-sb-state-enabled-sos1574.txt')]], communicate);
        const d = diagnose(f);
        expect(d.condition).toBe('unsigned-module-secure-boot');
        expect(d.remedy).toContain('mokutil --import');
        // the same module with Secure Boot off: it is merely not loaded
        const off = facts([['kernel', 'ok', '5.17.9-300.fc36.x86_64'], ['module-version', 'missing'], ['modinfo', 'exit=0', unsigned],
            ['sb-state', 'exit=0', readFixture('nvidia-driver/mokutil-sb-state-disabled-setup-mode-system76-388.txt')]], communicate);
        expect(verdict(off)).toBe('driver-not-loaded');
    });

    test('a signed module whose key is not enrolled', () => {
        const f = facts([...notLoaded, ['sb-state', 'exit=0', readFixture('nvidia-driver/mokutil-sb-state-enabled-sos1574.txt')],
            ['mok-enrolled', 'exit=0', readFixture('nvidia-driver/mokutil-list-enrolled-canonical-ubuntu2204-hex.txt')]], communicate);
        const d = diagnose(f);
        expect(d.condition).toBe('unsigned-module-secure-boot');
        expect(d.cause).toContain('Nvidia Driver Kmod Signing MOK');
    });
});

test('nvidia-smi missing: no hardware, unknown hardware, or a GPU without its driver', () => {
    const missing: NvidiaSmiOutcome = { kind: 'missing' };
    expect(verdict(facts([['lspci', 'exit=0', '00:02.0 VGA compatible controller [0300]: Intel Corporation Device [8086:46a6] (rev 0c)']], missing))).toBe('no-nvidia-hardware');
    const unknownHardware = diagnose(facts([['lspci', 'absent']], missing));
    expect(unknownHardware).toMatchObject({ condition: 'nvidia-smi-missing', severity: 'warning' });
    const gpuWithout = diagnose(facts([['lspci', 'exit=0', readFixture('lspci/lspci-nnk-gtx1650-mobile-nvidia-vanities6.txt')]], missing, rpmOstree));
    expect(gpuWithout.condition).toBe('nvidia-smi-missing');
    expect(gpuWithout.cause).toContain('0000:01:00.0');
});

test('warnings of a working driver: infoROM, stale CDI spec', () => {
    const inforom = readFixture('nvidia-smi-text/default-table-8x-v100-inforom-corrupted-460.txt');
    const d = diagnose(facts(loaded, { kind: 'ok', driverVersion: '460.32.03', text: inforom }));
    expect(d).toMatchObject({ condition: 'inforom-corrupted', severity: 'warning' });
    expect(d.cause).toContain('0008:00:00.0');

    const stale = diagnose(facts([...loaded, ['cdi:/etc/cdi/nvidia.yaml', 'ok', readFixture('cdi/nvidia-575.64.03-ubuntu-salilkadam.yaml')]], healthyOk));
    expect(stale).toMatchObject({ condition: 'stale-cdi', severity: 'warning' });
    expect(stale.remedy).toContain('nvidia-ctk cdi generate --output=/etc/cdi/nvidia.yaml');
    const fresh = facts([...loaded, ['cdi:/etc/cdi/nvidia.yaml', 'ok', readFixture('cdi/nvidia-575.64.03-ubuntu-salilkadam.yaml')]], { kind: 'ok', driverVersion: '575.64.03', text: '' });
    expect(verdict(fresh)).toBe('healthy');
});

test('a hung nvidia-smi', () => {
    expect(diagnose(facts(loaded, { kind: 'timeout' }))).toMatchObject({ condition: 'nvidia-smi-timeout', severity: 'danger' });
});

test('a source that does not parse is named, and the rest still counts', () => {
    const f = facts([...loaded.filter(([name]) => name !== 'modinfo'), ['modinfo', 'exit=0', '<html>not modinfo</html>']], healthyOk);
    expect(f.unreadable).toEqual(['modinfo nvidia']);
    expect(f.module.loadedVersion).toBe('550.78');
    expect(verdict(f)).toBe('healthy');
});
