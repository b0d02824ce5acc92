// nvidia-smi's CSV output: the live `--query-gpu=… -lms N` stream (one line per GPU per
// interval) and whole `--query-*` tables with or without header and units.
import { ParseError } from '../../pkg/lib/parse-error';
import type { LiveLineResult, LiveSample } from './gpu';
import { normaliseBusId, numberOf, performanceStateOf } from './nvidia-smi-values';

const TOOL = 'nvidia-smi';

/**
 * The fields of the live stream, in order. Only names present in the recorded
 * `--help-query-gpu` of both 590.48.01 (Linux) and 610.62 (Windows), so an older or a
 * newer driver does not reject the whole query ("Field … is not a valid field").
 * Canonical names, not aliases (clocks.current.sm, not clocks.sm): the header
 * nvidia-smi prints uses them, so the table parser can check it.
 */
export const LIVE_QUERY_FIELDS = [
    'index',
    'uuid',
    'pci.bus_id',
    'timestamp',
    'utilization.gpu',
    'utilization.memory',
    'memory.total',
    'memory.used',
    'memory.free',
    'temperature.gpu',
    'power.draw',
    'power.limit',
    'clocks.current.sm',
    'clocks.current.memory',
    'fan.speed',
    'pstate',
] as const;

export type LiveQueryField = typeof LIVE_QUERY_FIELDS[number];

/** Below this nvidia-smi would wake the driver more often than a chart can show. */
export const MIN_LIVE_INTERVAL_MS = 100;

export function liveQueryArgv(intervalMs: number): string[] {
    if (!Number.isFinite(intervalMs))
        throw new RangeError(`live interval must be a number of milliseconds, got ${intervalMs}`);
    const ms = Math.max(MIN_LIVE_INTERVAL_MS, Math.round(intervalMs));
    return [
        'nvidia-smi',
        `--query-gpu=${LIVE_QUERY_FIELDS.join(',')}`,
        '--format=csv,noheader,nounits',
        '-lms', String(ms),
    ];
}

// ---- whole tables ----

/** One row: field → value text, null where nvidia-smi gave no value. */
export type CsvRow = Record<string, string | null>;

export interface CsvTable {
    fields: string[];
    /** Unit per field from the header ('MiB' for "memory.total [MiB]"); empty without header. */
    units: Record<string, string>;
    rows: CsvRow[];
}

// "N/A", "[N/A]", "[Not Supported]", "[Requested functionality has been deprecated]",
// "[Insufficient Permissions]", "[Unknown Error]": with noheader/nounits too, nvidia-smi
// brackets the reasons it gives instead of a value.
function valueOf(cell: string): string | null {
    const t = cell.trim();
    if (t === '' || t === 'N/A' || /^\[.*\]$/.test(t))
        return null;
    return t;
}

/** A header cell: a field name, optionally followed by its unit in brackets. */
const HEADER_CELL = /^([a-z][A-Za-z0-9_.]*)(?: \[([^\]]+)\])?$/;

/**
 * Free-text fields that may themselves hold ", " (a process's command line); surplus
 * cells of a line are given back to them.
 */
const FREE_TEXT_FIELDS = ['process_name', 'name', 'gpu_name'];

function splitLine(line: string, count: number, fields: readonly string[]): string[] | null {
    const cells = line.split(', ');
    if (cells.length === count)
        return cells;
    if (cells.length < count)
        return null;
    const free = fields.findIndex(f => FREE_TEXT_FIELDS.includes(f));
    if (free < 0)
        return null;
    const surplus = cells.length - count;
    return [...cells.slice(0, free), cells.slice(free, free + surplus + 1).join(', '), ...cells.slice(free + surplus + 1)];
}

/** Whether a line is nvidia-smi's CSV header rather than values. */
export function isHeaderLine(line: string): boolean {
    return headerOf(line) !== null;
}

function headerOf(line: string): { fields: string[], units: Record<string, string> } | null {
    const fields: string[] = [];
    const units: Record<string, string> = {};
    for (const cell of line.split(', ')) {
        const match = HEADER_CELL.exec(cell.trim());
        if (!match)
            return null;
        fields.push(match[1]);
        if (match[2])
            units[match[1]] = match[2];
    }
    return { fields, units };
}

/**
 * A `--query-gpu` / `--query-compute-apps` CSV. `fields` is the order that was asked
 * for; without it the text must start with nvidia-smi's header. With both, the header
 * must have as many columns as `fields` (names may differ: nvidia-smi prints canonical
 * names for aliases).
 */
export function parseQueryCsv(text: string, fields?: readonly string[]): CsvTable {
    const lines = text.split('\n').map(l => l.replace(/\r$/, '')).filter(l => l.trim() !== '');
    const header = lines.length > 0 ? headerOf(lines[0]) : null;
    let names: string[];
    let units: Record<string, string> = {};
    if (header) {
        if (fields && fields.length !== header.fields.length)
            throw new ParseError(TOOL, `header has ${header.fields.length} columns, ${fields.length} fields were asked for`, text);
        names = fields ? [...fields] : header.fields;
        units = fields ? Object.fromEntries(Object.entries(header.units).map(([f, u]) => [fields[header.fields.indexOf(f)], u])) : header.units;
        lines.shift();
    } else if (fields) {
        names = [...fields];
    } else {
        throw new ParseError(TOOL, 'the CSV has no header and no field list was given', text);
    }
    const rows = lines.map(line => {
        const cells = splitLine(line, names.length, names);
        if (!cells)
            throw new ParseError(TOOL, `expected ${names.length} values, got "${line}"`, text);
        return Object.fromEntries(names.map((name, i) => [name, valueOf(cells[i])]));
    });
    return { fields: names, units, rows };
}

/** Old name kept for the table of GPUs; the same parser serves compute apps. */
export const parseQueryGpuCsv = parseQueryCsv;

/** The number in a cell, units or not ("2296 MiB", "71.15 W", "45"). */
export function csvNumber(row: CsvRow, field: string): number | null {
    return numberOf(row[field] ?? null);
}

// ---- the live stream ----

/** A LiveSample from a row with (at least) the live fields. */
export function liveSampleOf(row: CsvRow, line: string): LiveSample {
    const index = csvNumber(row, 'index');
    const uuid = row.uuid;
    const busId = row['pci.bus_id'];
    const time = row.timestamp;
    if (index === null || !Number.isInteger(index) || !uuid || !busId || !time)
        throw new ParseError(TOOL, 'a live sample lacks index, uuid, bus id or timestamp', line);
    return {
        index,
        uuid,
        busId: normaliseBusId(busId),
        time,
        utilGpu: csvNumber(row, 'utilization.gpu'),
        utilMem: csvNumber(row, 'utilization.memory'),
        memTotal: csvNumber(row, 'memory.total'),
        memUsed: csvNumber(row, 'memory.used'),
        memFree: csvNumber(row, 'memory.free'),
        temperature: csvNumber(row, 'temperature.gpu'),
        powerDraw: csvNumber(row, 'power.draw'),
        powerLimit: csvNumber(row, 'power.limit'),
        clockSm: csvNumber(row, 'clocks.current.sm'),
        clockMem: csvNumber(row, 'clocks.current.memory'),
        fanSpeed: csvNumber(row, 'fan.speed'),
        pstate: performanceStateOf(row.pstate),
    };
}

/**
 * One line of the live stream. Never throws: a garbage line (a message nvidia-smi
 * writes mid-stream when a GPU is lost, a partial line) is returned as
 * `{ ok: false, error }` so the stream keeps going; the error's snippet holds the line
 * for classifyNvidiaSmiFailure().
 */
export function parseLiveLine(line: string): LiveLineResult {
    const text = line.replace(/\r?\n$/, '');
    try {
        const cells = text.split(', ');
        if (cells.length !== LIVE_QUERY_FIELDS.length)
            throw new ParseError(TOOL, `expected ${LIVE_QUERY_FIELDS.length} values in a live sample, got ${cells.length}`, text);
        const row = Object.fromEntries(LIVE_QUERY_FIELDS.map((name, i) => [name, valueOf(cells[i])]));
        return { ok: true, sample: liveSampleOf(row, text) };
    } catch (ex) {
        if (ex instanceof ParseError)
            return { ok: false, error: ex };
        throw ex;
    }
}
