// Parses the "key<TAB>value" report of probe.sh into HostCapabilities.
import { ParseError } from '../../pkg/lib/parse-error';
import { PROBED_TOOLS, type HostCapabilities, type ProbedTool } from './capabilities';
import { parseOsRelease } from './os-release-parser';

const TOOL = 'capability probe';

function isProbedTool(name: string): name is ProbedTool {
    return (PROBED_TOOLS as readonly string[]).includes(name);
}

function yesNo(value: string, key: string, text: string): boolean {
    if (value === 'yes')
        return true;
    if (value === 'no')
        return false;
    throw new ParseError(TOOL, `"${key}" must be yes or no, got "${value}"`, text);
}

export function parseProbe(text: string): HostCapabilities {
    const lines = text.split('\n');
    if (lines[0] !== 'aiws-probe\t1')
        throw new ParseError(TOOL, 'the probe answered in an unknown format', text);
    if (!lines.some(line => line.startsWith('end\t')))
        throw new ParseError(TOOL, 'the probe\'s answer is incomplete', text);

    let root: string | null = null;
    let kernel: string | null = null;
    let ostreeBooted: boolean | null = null;
    let podmanSocket: boolean | null = null;
    let osReleasePath: string | null = null;
    const osReleaseLines: string[] = [];
    const tools: Partial<Record<ProbedTool, string | null>> = {};

    for (const line of lines.slice(1)) {
        if (line === '')
            continue;
        const tab = line.indexOf('\t');
        if (tab < 0)
            throw new ParseError(TOOL, `unexpected line "${line}"`, text);
        const key = line.slice(0, tab);
        const value = line.slice(tab + 1);
        switch (key) {
        case 'root':
            root = value;
            break;
        case 'kernel':
            kernel = value.trim() || null;
            break;
        case 'ostree-booted':
            ostreeBooted = yesNo(value, key, text);
            break;
        case 'podman-socket':
            podmanSocket = yesNo(value, key, text);
            break;
        case 'tool': {
            const [name, path = ''] = value.split('\t');
            if (isProbedTool(name))
                tools[name] = path === '' ? null : path;
            break;
        }
        case 'os-release-file':
            osReleasePath = value;
            break;
        case 'os-release':
            osReleaseLines.push(value);
            break;
        case 'end':
            break;
        default:
            throw new ParseError(TOOL, `unexpected key "${key}"`, text);
        }
    }

    if (root === null || ostreeBooted === null || podmanSocket === null)
        throw new ParseError(TOOL, 'the probe\'s answer lacks root, ostree or podman facts', text);
    const missing = PROBED_TOOLS.filter(tool => !(tool in tools));
    if (missing.length > 0)
        throw new ParseError(TOOL, `the probe did not report ${missing.join(', ')}`, text);

    return {
        root,
        kernel,
        ostreeBooted,
        podmanSocket,
        tools: tools as Record<ProbedTool, string | null>,
        os: osReleasePath === null ? null : parseOsRelease(osReleaseLines.join('\n')),
        osReleasePath,
    };
}
