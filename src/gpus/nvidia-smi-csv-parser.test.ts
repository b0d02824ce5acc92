import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { LIVE_QUERY_FIELDS, csvNumber, liveQueryArgv, parseLiveLine, parseQueryCsv, parseQueryGpuCsv } from './nvidia-smi-csv-parser';

const csvDir = path.join(__dirname, '../../test/fixtures/nvidia-smi-csv');
const textDir = path.join(__dirname, '../../test/fixtures/nvidia-smi-text');
const read = (dir: string, name: string) => fs.readFileSync(path.join(dir, name), 'utf8');

/** The field list of a recording, from the command line it was made with. */
function fieldsOf(name: string): string[] {
    const cmd = read(csvDir, name.replace(/\.csv$/, '.cmd.txt'));
    const match = /--query-[a-z-]+=(\S+)/.exec(cmd);
    if (!match)
        throw new Error(`no query in ${name}`);
    return match[1].split(',');
}

/** Every field name (and alias) a recorded --help-query-gpu documents. */
function helpFields(name: string): Set<string> {
    const names = new Set<string>();
    for (const line of read(textDir, name).split('\n')) {
        if (line.startsWith('"'))
            for (const m of line.matchAll(/"([^"]+)"/g))
                names.add(m[1]);
    }
    return names;
}

const gpuRecordings = fs.readdirSync(csvDir).filter(f => f.endsWith('.csv') && f.includes('query-gpu'));

test.each(gpuRecordings)('every --query-gpu recording parses with its field order: %s', name => {
    const fields = fieldsOf(name);
    const table = parseQueryGpuCsv(read(csvDir, name), fields);
    expect(table.fields).toEqual(fields);
    expect(table.rows).toHaveLength(1);
    const row = table.rows[0];
    expect(row.uuid).toBe('GPU-00000000-0000-0000-0000-000000000000');
    expect(row.index).toBe('0');
    // the same text without a field list: the header names the fields
    expect(parseQueryCsv(read(csvDir, name)).rows[0].uuid).toBe(row.uuid);
});

test('H100 (590, idle): units in values and header, N/A and bracketed reasons are null', () => {
    const table = parseQueryCsv(read(csvDir, 'h100-mig-590-query-gpu-allfields-idle.csv'), fieldsOf('h100-mig-590-query-gpu-allfields-idle.csv'));
    const row = table.rows[0];
    expect(row.name).toBe('NVIDIA H100 80GB HBM3');
    expect(row['pci.bus_id']).toBe('00000000:00:09.0');
    expect(row['memory.total']).toBe('81559 MiB');
    expect(table.units['memory.total']).toBe('MiB');
    expect(csvNumber(row, 'memory.total')).toBe(81559);
    expect(csvNumber(row, 'power.draw')).toBe(71.15);
    expect(csvNumber(row, 'temperature.gpu')).toBe(42);
    // [N/A] (MIG mode), [Requested functionality has been deprecated]
    expect(row['utilization.gpu']).toBeNull();
    expect(row['fan.speed']).toBeNull();
    expect(row['power.management']).toBeNull();
    expect(row.pstate).toBe('P0');
});

test('RTX 2080 SUPER (595 Linux under load and 610.62 Windows idle)', () => {
    const linux = parseQueryCsv(read(csvDir, 'rtx2080s-linux-595-query-gpu-allfields-load.csv'), fieldsOf('rtx2080s-linux-595-query-gpu-allfields-load.csv')).rows[0];
    expect(csvNumber(linux, 'utilization.gpu')).toBe(8);
    expect(csvNumber(linux, 'fan.speed')).toBe(38);
    expect(csvNumber(linux, 'clocks.current.sm')).toBe(2055);
    // plain N/A (no brackets) for the memory temperature
    expect(linux['temperature.memory']).toBeNull();
    expect(linux.pstate).toBe('P2');
    const windows = parseQueryCsv(read(csvDir, 'rtx2080s-win-610.62-query-gpu-allfields-idle.csv'), fieldsOf('rtx2080s-win-610.62-query-gpu-allfields-idle.csv')).rows[0];
    expect(windows['driver_model.current']).toBe('WDDM');
    expect(csvNumber(windows, 'memory.used')).toBe(797);
    expect(csvNumber(windows, 'power.draw')).toBe(39.25);
});

test('the live fields exist in both recorded --help-query-gpu (590.48.01 and 610.62)', () => {
    for (const help of ['help-query-gpu-590.48.01.txt', 'help-query-gpu-610.62-windows.txt']) {
        const known = helpFields(help);
        expect(LIVE_QUERY_FIELDS.filter(f => !known.has(f))).toEqual([]);
    }
    // and every recorded all-fields query (which used canonical names) holds them
    for (const name of gpuRecordings)
        expect(LIVE_QUERY_FIELDS.filter(f => !fieldsOf(name).includes(f))).toEqual([]);
});

test('liveQueryArgv', () => {
    expect(liveQueryArgv(1000)).toEqual([
        'nvidia-smi',
        '--query-gpu=index,uuid,pci.bus_id,timestamp,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,' +
            'temperature.gpu,power.draw,power.limit,clocks.current.sm,clocks.current.memory,fan.speed,pstate',
        '--format=csv,noheader,nounits',
        '-lms', '1000',
    ]);
    expect(liveQueryArgv(12.6).slice(-1)).toEqual(['100']);
    expect(liveQueryArgv(2500.4).slice(-1)).toEqual(['2500']);
    expect(() => liveQueryArgv(NaN)).toThrow(RangeError);
});

/** A live line as noheader,nounits would print it, built from a recorded all-fields row. */
function liveLineFrom(name: string): string {
    const row = parseQueryCsv(read(csvDir, name), fieldsOf(name)).rows[0];
    return LIVE_QUERY_FIELDS.map(f => {
        const v = row[f];
        return v === null ? '[N/A]' : v.replace(/ (MiB|W|MHz|%)$/, '');
    }).join(', ');
}

describe('parseLiveLine', () => {
    test('a sample from the RTX 2080 SUPER recording', () => {
        const result = parseLiveLine(liveLineFrom('rtx2080s-linux-595-query-gpu-allfields-load.csv'));
        expect(result).toEqual({
            ok: true,
            sample: {
                index: 0,
                uuid: 'GPU-00000000-0000-0000-0000-000000000000',
                busId: '0000:0c:00.0',
                time: '2026/06/24 10:26:49.788',
                utilGpu: 8,
                utilMem: 3,
                memTotal: 8192,
                memUsed: 819,
                memFree: 6967,
                temperature: 45,
                powerDraw: 111.5,
                powerLimit: 250,
                clockSm: 2055,
                clockMem: 7500,
                fanSpeed: 38,
                pstate: 'P2',
            },
        });
    });

    test('an H100 in MIG mode: utilisation and fan are null, never NaN', () => {
        const result = parseLiveLine(liveLineFrom('h100-mig-590-query-gpu-allfields-idle.csv') + '\n');
        if (!result.ok)
            throw result.error;
        expect(result.sample).toMatchObject({ busId: '0000:00:09.0', utilGpu: null, utilMem: null, fanSpeed: null, memTotal: 81559, pstate: 'P0' });
    });

    test.each([
        ['empty', ''],
        ['a GPU lost mid-stream', 'Unable to determine the device handle for GPU0000:0B:00.0: GPU is lost.  Reboot the system to recover this GPU'],
        ['a cut line', '0, GPU-00000000-0000-0000-0000-000000000000, 00000000:00:09.0, 2026/07/14'],
        ['no index', 'x, GPU-0, 00000000:00:09.0, t, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, P0'],
    ])('garbage does not throw: %s', (_name, line) => {
        const result = parseLiveLine(line);
        expect(result.ok).toBe(false);
        if (!result.ok) {
            expect(result.error).toBeInstanceOf(ParseError);
            expect(result.error.tool).toBe('nvidia-smi');
            expect(result.error.snippet).toBe(line.trim());
        }
    });
});

describe('damaged tables', () => {
    test('a row with too few values', () => {
        const text = read(csvDir, 'rtx2080s-linux-595-query-gpu-allfields-load.csv').split(', ').slice(0, 250).join(', ');
        expect(() => parseQueryCsv(text, fieldsOf('rtx2080s-linux-595-query-gpu-allfields-load.csv'))).toThrow(ParseError);
    });

    test('a header that does not fit the field list', () => {
        expect(() => parseQueryCsv(read(csvDir, 'h100-mig-590-query-gpu-allfields-idle.csv'), ['index', 'uuid'])).toThrow(/header has 212 columns/);
    });

    test('no header and no field list', () => {
        expect(() => parseQueryCsv('0, GPU-1')).toThrow(ParseError);
    });
});
