// What host-lookups.sh printed. Pure.
import { isIpAddress } from './endpoints';

/** `reverse`: address → its names (canonical first). `forward`: name → its addresses. */
export function parseHostLookups(text: string, mode: 'reverse' | 'forward'): Map<string, string[]> {
    const answers = new Map<string, string[]>();
    let key: string | null = null;
    for (const line of text.split('\n')) {
        const tab = line.indexOf('\t');
        if (tab < 0)
            continue;
        const kind = line.slice(0, tab);
        const rest = line.slice(tab + 1);
        if (kind === 'key') {
            key = rest;
            answers.set(key, []);
        } else if (kind === 'answer' && key !== null) {
            const fields = rest.trim().split(/\s+/);
            const found = answers.get(key)!;
            // getent hosts: "ADDRESS NAME ALIAS..."; getent ahosts: "ADDRESS STREAM|DGRAM|RAW [NAME]"
            const values = mode === 'reverse'
                ? fields.slice(1).filter(name => !isIpAddress(name))
                : isIpAddress(fields[0] ?? '') ? [fields[0]] : [];
            for (const value of values) {
                const normal = mode === 'reverse' ? value.toLowerCase().replace(/\.$/, '') : value.toLowerCase();
                if (!found.includes(normal))
                    found.push(normal);
            }
        }
    }
    return answers;
}
