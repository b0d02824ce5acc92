// The driver facts out of gpu-facts.sh's sections: which file or tool said what, turned
// into the model the diagnosis reads. A section that is missing or failed is a fact too
// (no module loaded, mokutil not installed), never an exception; only the section
// format itself can be a parse error. Pure.
import type { FactSection } from './gpu-facts-sections';
import { okText } from './gpu-facts-sections';
import type { CdiSpec, DriverFacts, EnrolledKey, ModInfo, NvidiaSmiOutcome, PciGpu, SecureBootState } from './gpu';
import { parseCdiSpec } from './cdi-spec-parser';
import { parseModinfo } from './modinfo-parser';
import { isNoEfiAnswer, parseEnrolledKeys, parseSbState } from './mokutil-parser';
import { nouveauBlacklist } from './nouveau-blacklist';
import { parseNvidiaProcVersion } from './nvidia-proc-version-parser';
import { parseLspci } from './pci-parser';
import { parseTaint } from './taint-parser';

type Sections = Map<string, FactSection>;

/** Parses one source's text; a text that does not parse is recorded and gives null. */
type Reader = <T>(text: string | null, parse: (text: string) => T, source: string) => T | null;

function firstLine(text: string | null): string | null {
    const line = text?.split('\n')[0].trim() ?? '';
    return line === '' ? null : line;
}

function secureBootOf(sections: Sections, read: Reader): SecureBootState | null {
    const section = sections.get('sb-state');
    if (!section || section.status.kind === 'absent' || section.status.kind === 'missing')
        return null;
    // mokutil exits non-zero without EFI, with words that still tell the state
    return read(section.text, parseSbState, 'mokutil --sb-state');
}

function enrolledKeysOf(sections: Sections, read: Reader): EnrolledKey[] | null {
    const section = sections.get('mok-enrolled');
    if (!section || section.status.kind !== 'exit')
        return null;
    if (section.status.code !== 0)
        return isNoEfiAnswer(section.text) ? [] : null;
    return read(section.text, parseEnrolledKeys, 'mokutil --list-enrolled');
}

function modinfoOf(sections: Sections, read: Reader): { modinfo: ModInfo | null, error: string | null } {
    const section = sections.get('modinfo');
    if (!section || section.status.kind === 'absent')
        return { modinfo: null, error: null };
    const text = okText(sections, 'modinfo');
    if (text === null)
        return { modinfo: null, error: firstLine(section.text) ?? `modinfo nvidia: ${section.status.kind}` };
    return { modinfo: read(text, parseModinfo, 'modinfo nvidia'), error: null };
}

function pciOf(sections: Sections, read: Reader): PciGpu[] | null {
    const text = okText(sections, 'lspci');
    return text === null ? null : read(text, parseLspci, 'lspci -Dnnk');
}

function cdiSpecsOf(sections: Sections, read: Reader): CdiSpec[] {
    return [...sections.keys()]
            .filter(name => name.startsWith('cdi:'))
            .flatMap(name => {
                const path = name.slice('cdi:'.length);
                const spec = read(okText(sections, name), text => parseCdiSpec(path, text), path);
                return spec ? [spec] : [];
            });
}

function modprobeFilesOf(sections: Sections) {
    return [...sections.keys()]
            .filter(name => name.startsWith('modprobe:'))
            .flatMap(name => {
                const text = okText(sections, name);
                return text === null ? [] : [{ path: name.slice('modprobe:'.length), text }];
            });
}

export function driverFactsOf(sections: Sections, nvidiaSmi: NvidiaSmiOutcome): DriverFacts {
    const unreadable: string[] = [];
    const read: Reader = (text, parse, source) => {
        if (text === null)
            return null;
        try {
            return parse(text);
        } catch {
            unreadable.push(source);
            return null;
        }
    };
    const { modinfo, error } = modinfoOf(sections, read);
    return {
        nvidiaSmi,
        pciDevices: pciOf(sections, read),
        module: {
            loadedVersion: firstLine(okText(sections, 'module-version')),
            procVersion: read(okText(sections, 'driver-version'), parseNvidiaProcVersion, '/proc/driver/nvidia/version'),
            modinfo,
            modinfoError: error,
            loadedModules: [...sections.keys()].filter(name => name.startsWith('loaded:')).map(name => name.slice('loaded:'.length)),
        },
        kernelRelease: firstLine(okText(sections, 'kernel')),
        secureBoot: secureBootOf(sections, read),
        enrolledKeys: enrolledKeysOf(sections, read),
        nouveauBlacklist: nouveauBlacklist(modprobeFilesOf(sections), okText(sections, 'cmdline')),
        cdiSpecs: cdiSpecsOf(sections, read),
        taint: read(okText(sections, 'tainted'), parseTaint, '/proc/sys/kernel/tainted'),
        deployments: null,
        unreadable,
    };
}
