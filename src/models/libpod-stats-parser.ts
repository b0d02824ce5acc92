// GET /libpod/containers/stats → one sample per container. podman 4.3.1 answers
// {"Error": null, "Stats": [...]} once with stream=false, and one such report per
// interval, each on its own line, with stream=true.
import { ParseError } from '../../pkg/lib/parse-error';
import { FieldReader, PODMAN_API, isRecord, parseJson } from './libpod-error';

export interface ContainerStats {
    id: string;
    name: string;
    /** Percent of one CPU (podman's CPU; above 100 on several cores). */
    cpuPercent: number;
    memUsage: number;
    /** bytes; the host's memory when the container has no limit, 0 when it is not running. */
    memLimit: number;
    memPercent: number;
    netInput: number;
    netOutput: number;
    blockInput: number;
    blockOutput: number;
    pids: number;
}

/**
 * One report, or a run of them (a streamed answer, or chunks joined): the stats of the
 * last complete report, which is the newest sample.
 */
export function parseContainerStats(text: string): ContainerStats[] {
    const reports = splitJsonValues(text);
    if (reports.length === 0)
        throw new ParseError(PODMAN_API, 'container stats: empty answer', text);
    return parseReport(reports[reports.length - 1]);
}

function parseReport(text: string): ContainerStats[] {
    const r: FieldReader = new FieldReader('container stats', text);
    const report = r.record(parseJson(text, 'container stats'), 'report');
    // a Go error marshals as {} (no such container gives {"Error":{},"Stats":null} with
    // HTTP 200), so the message, when there is one, is only a guess at a future shape
    if (report.Error !== null && report.Error !== undefined) {
        const message = typeof report.Error === 'string'
            ? report.Error
            : isRecord(report.Error) && typeof report.Error.message === 'string' ? report.Error.message : '';
        r.fail(message || 'podman could not read the stats (is the container gone?)');
    }
    return r.array(report.Stats, 'Stats').map((item, i) => {
        const s = r.record(item, `Stats[${i}]`);
        return {
            id: r.string(s.ContainerID, 'ContainerID'),
            name: r.optString(s.Name, 'Name'),
            cpuPercent: r.number(s.CPU, 'CPU'),
            memUsage: r.number(s.MemUsage, 'MemUsage'),
            memLimit: r.number(s.MemLimit, 'MemLimit'),
            memPercent: r.number(s.MemPerc, 'MemPerc'),
            netInput: r.number(s.NetInput, 'NetInput'),
            netOutput: r.number(s.NetOutput, 'NetOutput'),
            blockInput: r.number(s.BlockInput, 'BlockInput'),
            blockOutput: r.number(s.BlockOutput, 'BlockOutput'),
            pids: r.number(s.PIDs, 'PIDs'),
        };
    });
}

/**
 * Splits text holding JSON values one after another (newline-separated or not) into the
 * text of each. A trailing value cut short is left out: a stream may stop mid-report.
 */
export function splitJsonValues(text: string): string[] {
    const values: string[] = [];
    let depth = 0;
    let start = -1;
    let inString = false;
    let escaped = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
            if (escaped)
                escaped = false;
            else if (ch === '\\')
                escaped = true;
            else if (ch === '"')
                inString = false;
            continue;
        }
        if (ch === '"') {
            inString = true;
        } else if (ch === '{' || ch === '[') {
            if (depth === 0)
                start = i;
            depth++;
        } else if (ch === '}' || ch === ']') {
            depth--;
            if (depth < 0)
                throw new ParseError(PODMAN_API, 'container stats: unbalanced JSON', text);
            if (depth === 0)
                values.push(text.slice(start, i + 1));
        } else if (depth === 0 && !/\s/.test(ch)) {
            throw new ParseError(PODMAN_API, 'container stats: not a JSON object', text);
        }
    }
    if (depth > 0 && values.length === 0)
        throw new ParseError(PODMAN_API, 'container stats: truncated JSON', text);
    return values;
}
