// NVIDIA display controllers from `lspci -Dnnk` (also -nnk, and -k/-v without -nn):
// the inventory that does not need a working driver. Audio, USB and other functions
// of the card are skipped; so is every other vendor's hardware.
import { ParseError } from '../../pkg/lib/parse-error';
import type { KernelDriver, PciGpu } from './gpu';

const TOOL = 'lspci';
const NVIDIA = '10de';
const DISPLAY_CLASSES = ['0300', '0302', '0380'];

// Without -nn lspci prints only class names; these are pci.ids' names for the classes.
const CLASS_BY_NAME: Record<string, string> = {
    'VGA compatible controller': '0300',
    '3D controller': '0302',
    'Display controller': '0380',
};

// [dddd:]bb:dd.f Class name [cccc]: Vendor Device name [vvvv:dddd] (rev rr) (prog-if …)
const DEVICE_LINE = /^((?:[0-9a-fA-F]{4,}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]) (.+?)(?: \[([0-9a-fA-F]{4})\])?: (.*)$/;
const IDS = / \[([0-9a-fA-F]{4}):([0-9a-fA-F]{4})\]/;
const REVISION = / \(rev ([0-9a-fA-F]{2})\)/;

interface Block {
    header: RegExpExecArray;
    details: string[];
}

function blocksOf(text: string): Block[] {
    const blocks: Block[] = [];
    for (const line of text.split('\n')) {
        if (line.trim() === '' || line.trim() === '--')
            continue;
        const header = /^\s/.test(line) ? null : DEVICE_LINE.exec(line);
        if (header) {
            blocks.push({ header, details: [] });
        } else if (blocks.length > 0 && /^\s/.test(line)) {
            blocks[blocks.length - 1].details.push(line.trim());
        } else if (blocks.length > 0 && /^[A-Z][A-Za-z ]+: /.test(line)) {
            // some bug reports lose the indentation of the detail lines
            blocks[blocks.length - 1].details.push(line.trim());
        } else {
            throw new ParseError(TOOL, `unexpected line "${line}"`, text);
        }
    }
    return blocks;
}

function normaliseAddress(address: string): string {
    const a = address.toLowerCase();
    return /^[0-9a-f]{4,}:/.test(a) && a.split(':').length === 3 ? a : `0000:${a}`;
}

function gpuOf(block: Block): PciGpu | null {
    const [, address, className, classId, rest] = block.header;
    const classCode = classId?.toLowerCase() ?? CLASS_BY_NAME[className] ?? null;
    if (!classCode || !DISPLAY_CLASSES.includes(classCode))
        return null;
    const ids = IDS.exec(rest);
    const vendorId = ids ? ids[1].toLowerCase() : (/^NVIDIA Corporation\b/.test(rest) ? NVIDIA : null);
    if (vendorId !== NVIDIA)
        return null;
    const name = rest
            .replace(/^NVIDIA Corporation /, '')
            .replace(/ \(prog-if [^)]*\)\)?/, '')
            .replace(REVISION, '')
            .replace(IDS, '')
            .trim();
    let subsystem: PciGpu['subsystem'] = null;
    let driverInUse: KernelDriver | null = null;
    let kernelModules: string[] = [];
    for (const detail of block.details) {
        const colon = detail.indexOf(': ');
        if (colon < 0)
            continue;
        const key = detail.slice(0, colon);
        const value = detail.slice(colon + 2).trim();
        if (key === 'Subsystem') {
            const sub = IDS.exec(value);
            subsystem = {
                name: value.replace(IDS, '').trim(),
                vendorId: sub ? sub[1].toLowerCase() : '',
                deviceId: sub ? sub[2].toLowerCase() : '',
            };
        } else if (key === 'Kernel driver in use') {
            driverInUse = value;
        } else if (key === 'Kernel modules') {
            kernelModules = value.split(',').map(m => m.trim()).filter(m => m !== '');
        }
    }
    return {
        address: normaliseAddress(address),
        classCode,
        className,
        name,
        vendorId,
        deviceId: ids ? ids[2].toLowerCase() : '',
        revision: REVISION.exec(rest)?.[1].toLowerCase() ?? null,
        subsystem,
        driverInUse,
        kernelModules,
    };
}

export function parseLspci(text: string): PciGpu[] {
    return blocksOf(text).map(gpuOf).filter((gpu): gpu is PciGpu => gpu !== null);
}
