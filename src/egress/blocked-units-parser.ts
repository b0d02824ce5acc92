// blocked-units.sh's output → each unit with the state of its drop-in. Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import { parseEgressDropIn, type EgressDropInState } from './unit-dropin';

export interface BlockedUnit {
    unit: string;
    /** null when the drop-in could not be read as systemd would (someone edited it). */
    state: EgressDropInState | null;
    problem: string | null;
}

export function parseBlockedUnits(text: string): BlockedUnit[] {
    const files: { unit: string, lines: string[] }[] = [];
    for (const line of text.split('\n')) {
        if (line === '')
            continue;
        const tab = line.indexOf('\t');
        const tag = tab < 0 ? line : line.slice(0, tab);
        const rest = tab < 0 ? '' : line.slice(tab + 1);
        if (tag === 'unit')
            files.push({ unit: rest, lines: [] });
        else if (tag === 'line' && files.length > 0)
            files[files.length - 1].lines.push(rest);
        else
            throw new ParseError('blocked-units.sh', `unexpected line: ${line}`, text);
    }
    return files.map(({ unit, lines }) => {
        try {
            return { unit, state: parseEgressDropIn(lines.join('\n')), problem: null };
        } catch (error) {
            if (!(error instanceof ParseError))
                throw error;
            return { unit, state: null, problem: error.message };
        }
    });
}
