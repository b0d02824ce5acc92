// The parsers of the kernel-side driver facts, on recordings from real machines.
import { ParseError } from '../../pkg/lib/parse-error';
import { readFixture } from '../../test/unit/fixtures';
import { parseCdiSpec } from './cdi-spec-parser';
import { flavourOfLicense, parseModinfo } from './modinfo-parser';
import { isSignerEnrolled, parseEnrolledKeys, parseSbState } from './mokutil-parser';
import { cmdlineWords, nouveauBlacklist } from './nouveau-blacklist';
import { parseNvidiaProcVersion } from './nvidia-proc-version-parser';
import { parseTaint } from './taint-parser';

describe('modinfo nvidia', () => {
    test('open module, signed, Fedora 40', () => {
        const m = parseModinfo(readFixture('nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt').replace(/^--- cut ---\n?/m, ''));
        expect(m.filename).toBe('/lib/modules/6.8.9-300.fc40.x86_64/kernel/drivers/video/nvidia.ko');
        expect(m.version).toBe('550.78');
        expect(m.flavour).toBe('open');
        expect(m.vermagicKernel).toBe('6.8.9-300.fc40.x86_64');
        expect(m.signer).toBe('Nvidia Driver Kmod Signing MOK');
        expect(m.sigHashAlgo).toBe('sha256');
        expect(m.fields.firmware.split('\n')).toEqual(['nvidia/550.78/gsp_tu10x.bin', 'nvidia/550.78/gsp_ga10x.bin']);
    });

    test('proprietary module without a signature, Silverblue 36', () => {
        const m = parseModinfo(readFixture('nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt'));
        expect(m.version).toBe('510.68.02');
        expect(m.license).toBe('NVIDIA');
        expect(m.flavour).toBe('proprietary');
        expect(m.vermagicKernel).toBe('5.17.9-300.fc36.x86_64');
        expect(m.signer).toBeNull();
        expect(m.fields.parm.split('\n').length).toBeGreaterThan(3);
    });

    test('the licence alone (modinfo -F license) tells the flavour', () => {
        expect(flavourOfLicense(readFixture('nvidia-driver/modinfo-l-open-silverblue-akmods-keys14.txt'))).toBe('open');
        expect(flavourOfLicense(readFixture('nvidia-driver/modinfo-l-proprietary-ublue-hwe284.txt'))).toBe('proprietary');
        expect(flavourOfLicense('MIT')).toBeNull();
    });

    test('anything else is a parse error', () => {
        expect(() => parseModinfo('')).toThrow(ParseError);
        expect(() => parseModinfo('modinfo: ERROR: Module nvidia not found.')).toThrow(ParseError);
        expect(() => parseModinfo('<html>oops</html>')).toThrow(ParseError);
    });
});

describe('mokutil', () => {
    test('Secure Boot states as the firmware reports them', () => {
        expect(parseSbState(readFixture('nvidia-driver/mokutil-sb-state-enabled-sos1574.txt'))).toBe('enabled');
        expect(parseSbState(readFixture('nvidia-driver/mokutil-sb-state-disabled-setup-mode-system76-388.txt'))).toBe('disabled');
        expect(parseSbState(readFixture('nvidia-driver/mokutil-sb-state-not-supported-pentoo36.txt'))).toBe('unsupported');
        expect(parseSbState(readFixture('nvidia-driver/mokutil-efi-not-supported-darling1025.txt'))).toBe('no-efi');
        expect(() => parseSbState('Segmentation fault')).toThrow(ParseError);
    });

    test('enrolled keys with their subject CN and fingerprint', () => {
        const keys = parseEnrolledKeys(readFixture('nvidia-driver/mokutil-list-enrolled-canonical-ubuntu2204-hex.txt'));
        expect(keys.length).toBeGreaterThanOrEqual(1);
        expect(keys[0].subjectCn).toBe('Canonical Ltd. Master Certificate Authority');
        expect(keys[0].issuerCn).toBe('Canonical Ltd. Master Certificate Authority');
        expect(keys[0].sha1Fingerprint).toBe('76a092065800bf376901c372cd55a90e1fded2e0');
        expect(isSignerEnrolled('Canonical Ltd. Master Certificate Authority', keys)).toBe(true);
        expect(isSignerEnrolled('Nvidia Driver Kmod Signing MOK', keys)).toBe(false);
        expect(() => parseEnrolledKeys('garbage that is not a key list')).toThrow(ParseError);
    });
});

describe('/proc/driver/nvidia/version', () => {
    test.each([
        ['proc-version-open-565-ubuntu-nixgl186.txt', 'open', '565.57.01', 'x86_64'],
        ['proc-version-open-525-arch-nixgl121.txt', 'open', '525.60.11', 'x86_64'],
        ['proc-version-open-jetson-aarch64-nixgl139.txt', 'open', '35.3.1', 'aarch64'],
        ['proc-version-proprietary-384-ubuntu-neofetch876.txt', 'proprietary', '384.98', 'x86_64'],
    ])('%s', (file, flavour, version, arch) => {
        const v = parseNvidiaProcVersion(readFixture(`nvidia-driver/${file}`));
        expect(v).toMatchObject({ flavour, version, arch });
        expect(v.gcc).toMatch(/^gcc version /);
    });

    test('other text is a parse error', () => {
        expect(() => parseNvidiaProcVersion('')).toThrow(ParseError);
        expect(() => parseNvidiaProcVersion('NVRM version: something else')).toThrow(ParseError);
    });
});

test('taint flags by the kernel letters', () => {
    expect(parseTaint('0\n')).toEqual({ value: 0, flags: [] });
    // P (proprietary) + O (out-of-tree) + E (unsigned): 1 + 4096 + 8192
    expect(parseTaint('12289').flags.map(f => f.letter)).toEqual(['P', 'O', 'E']);
    expect(() => parseTaint('tainted')).toThrow(ParseError);
});

describe('nouveau blacklist', () => {
    test('a modprobe.d file and the kernel command line', () => {
        // configuration in modprobe.d(5) syntax, not tool output
        const fromFile = nouveauBlacklist([{ path: '/etc/modprobe.d/blacklist-nouveau.conf', text: 'blacklist nouveau\noptions nouveau modeset=0\n' }], null);
        expect(fromFile).toMatchObject({ modprobe: true, modesetOff: true, kernelArgs: false, sources: ['/etc/modprobe.d/blacklist-nouveau.conf'] });
        const fromCmdline = nouveauBlacklist([], readFixture('nvidia-driver/proc-cmdline-modprobe-blacklist-nouveau-kubevirt45.txt'));
        expect(fromCmdline).toMatchObject({ modprobe: false, kernelArgs: true, sources: ['/proc/cmdline'] });
        const none = nouveauBlacklist([], readFixture('kargs-cmdline/proc-cmdline-rhel94-image-mode.txt'));
        expect(none).toMatchObject({ modprobe: false, kernelArgs: false, sources: [] });
    });

    test('comments do not count; quoted arguments stay whole', () => {
        expect(nouveauBlacklist([{ path: '/x.conf', text: '# blacklist nouveau' }], null).modprobe).toBe(false);
        expect(cmdlineWords('a "b c" d=e')).toEqual(['a', 'b c', 'd=e']);
    });
});

test('CDI spec: devices and the driver it was generated for', () => {
    const spec = parseCdiSpec('/etc/cdi/nvidia.yaml', readFixture('cdi/nvidia-575.64.03-ubuntu-salilkadam.yaml'));
    expect(spec.cdiVersion).toBe('0.5.0');
    expect(spec.kind).toBe('nvidia.com/gpu');
    expect(spec.devices).toEqual(expect.arrayContaining(['0', 'all']));
    expect(spec.driverVersion).toBe('575.64.03');
    expect(() => parseCdiSpec('/etc/cdi/nvidia.yaml', 'hello: world')).toThrow(ParseError);
});
