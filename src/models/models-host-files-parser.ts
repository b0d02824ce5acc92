// The output of models-host-files.sh: host paths and their texts. Pure.
import { ParseError } from '../../pkg/lib/parse-error';

const TOOL = 'models-host-files.sh';

export interface HostFile {
    path: string;
    text: string;
}

export function parseHostFiles(output: string): HostFile[] {
    const lines = output.split('\n');
    if (lines[0] !== 'aiws-models-files 1')
        throw new ParseError(TOOL, 'unknown header', output);
    if (!lines.includes('@@aiws end ok'))
        throw new ParseError(TOOL, 'output ends early', output);
    const files: HostFile[] = [];
    let current: { path: string, lines: string[] } | null = null;
    const close = () => {
        if (current) {
            // the script adds one newline after each file so that a file without a final newline cannot swallow the marker;
            // splitting into lines already takes that newline off as the last line's end
            files.push({ path: current.path, text: current.lines.join('\n') });
        }
        current = null;
    };
    for (const line of lines.slice(1)) {
        if (line.startsWith('@@aiws file ')) {
            close();
            current = { path: line.slice('@@aiws file '.length), lines: [] };
        } else if (line === '@@aiws end ok') {
            close();
            break;
        } else if (current) {
            current.lines.push(line);
        }
    }
    return files;
}
