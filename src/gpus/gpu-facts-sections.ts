// Splits the output of gpu-facts.sh into its named sections. Pure.
import { ParseError } from '../../pkg/lib/parse-error';

export type SectionStatus =
    | { kind: 'ok' }
    | { kind: 'missing' }
    | { kind: 'absent' }
    | { kind: 'exit', code: number };

export interface FactSection {
    status: SectionStatus;
    text: string;
}

const TOOL = 'GPU facts script';
const HEADER = 'aiws-gpu-facts 1';

function parseStatus(raw: string, text: string): SectionStatus {
    if (raw === 'ok' || raw === 'missing' || raw === 'absent')
        return { kind: raw };
    const match = /^exit=(\d+)$/.exec(raw);
    if (match)
        return { kind: 'exit', code: Number(match[1]) };
    throw new ParseError(TOOL, `unknown section status "${raw}"`, text);
}

export function parseFactSections(text: string): Map<string, FactSection> {
    const lines = text.split('\n');
    if (lines[0] !== HEADER)
        throw new ParseError(TOOL, 'the script answered in an unknown format', text);
    const sections = new Map<string, FactSection>();
    let current: { name: string, status: SectionStatus, lines: string[] } | null = null;
    let ended = false;
    const close = () => {
        if (current)
            sections.set(current.name, { status: current.status, text: current.lines.join('\n') });
        current = null;
    };
    for (const line of lines.slice(1)) {
        if (line.startsWith('@@aiws ')) {
            close();
            const [name, status] = line.slice('@@aiws '.length).split(' ');
            if (!name || !status)
                throw new ParseError(TOOL, `malformed section line "${line}"`, text);
            if (name === 'end') {
                ended = true;
                break;
            }
            current = { name, status: parseStatus(status, text), lines: [] };
        } else if (current) {
            current.lines.push(line);
        }
    }
    if (!ended)
        throw new ParseError(TOOL, 'the answer is incomplete', text);
    close();
    return sections;
}

/** The text of a section that holds a file's content or a tool's successful output. */
export function okText(sections: Map<string, FactSection>, name: string): string | null {
    const section = sections.get(name);
    return section?.status.kind === 'ok' || (section?.status.kind === 'exit' && section.status.code === 0) ? section.text : null;
}
