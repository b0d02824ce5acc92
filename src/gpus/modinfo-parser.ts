// `modinfo nvidia`: "key: value" lines, keys repeated (alias, parm, firmware), and the
// signature fields wrapped onto indented continuation lines (sig_key, signature).
// Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { KernelModuleFlavour, ModInfo } from './gpu';

const TOOL = 'modinfo';
const FIELD = /^([A-Za-z_][\w.-]*):\s?(.*)$/;

/**
 * The licence string decides the flavour: NVIDIA's open kernel modules are "Dual MIT/GPL",
 * the proprietary ones "NVIDIA" (recordings modinfo-l-open-… and modinfo-l-proprietary-…).
 */
export function flavourOfLicense(license: string | null): KernelModuleFlavour | null {
    const l = license?.trim() ?? '';
    if (/^Dual MIT\/GPL$/i.test(l) || /GPL/.test(l))
        return 'open';
    if (/^NVIDIA$/i.test(l))
        return 'proprietary';
    return null;
}

/** The kernel release a module was built for: the first word of its vermagic. */
export function kernelOfVermagic(vermagic: string | null): string | null {
    const first = vermagic?.trim().split(/\s+/)[0] ?? '';
    return first === '' ? null : first;
}

export function parseModinfo(text: string): ModInfo {
    const fields: Record<string, string> = {};
    let last: string | null = null;
    for (const line of text.split('\n')) {
        if (line.trim() === '')
            continue;
        const match = /^\s/.test(line) ? null : FIELD.exec(line);
        if (match) {
            const [, key, value] = match;
            fields[key] = key in fields ? `${fields[key]}\n${value.trim()}` : value.trim();
            last = key;
        } else if (/^\s/.test(line) && last !== null) {
            // a wrapped sig_key or signature: the hex goes on
            fields[last] += line.trim();
        } else {
            throw new ParseError(TOOL, `unexpected line "${line}"`, text);
        }
    }
    if (Object.keys(fields).length === 0)
        throw new ParseError(TOOL, 'modinfo printed nothing', text);
    if (!('filename' in fields) && !('vermagic' in fields) && !('version' in fields))
        throw new ParseError(TOOL, 'this is not the description of a kernel module', text);
    const get = (key: string) => (fields[key] === undefined || fields[key] === '' ? null : fields[key]);
    const license = get('license');
    return {
        filename: get('filename'),
        version: get('version'),
        license,
        flavour: flavourOfLicense(license),
        vermagic: get('vermagic'),
        vermagicKernel: kernelOfVermagic(get('vermagic')),
        signer: get('signer'),
        sigKey: get('sig_key'),
        sigHashAlgo: get('sig_hashalgo'),
        sigId: get('sig_id'),
        srcversion: get('srcversion'),
        fields,
    };
}
