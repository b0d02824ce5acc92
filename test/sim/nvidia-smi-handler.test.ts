/** @jest-environment node */
// Tests of the simulated nvidia-smi (test/sim/tools/nvidia-smi.mjs): the page's own live and
// compute-apps queries parse with the page's own parsers, streams tick and stop like the real
// tool, and every fault in <state>/scenario/gpu-faults.json does what it says. Every tool call
// runs <state>/bin/nvidia-smi as a separate process with the env prepareScenario() gave.

import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LIVE_QUERY_FIELDS, liveQueryArgv, parseLiveLine, parseQueryCsv } from '../../src/gpus/nvidia-smi-csv-parser';
import { computeAppsArgv, parseComputeApps } from '../../src/gpus/compute-apps-parser';
import { COMPUTE_APPS_STREAM_FIELDS, computeAppsStreamArgv } from '../../src/gpus/compute-apps-live';
import type { LiveSample } from '../../src/gpus/gpu';

const SIM = __dirname;
const FIXTURES = path.resolve(SIM, '..', 'fixtures');
// ticks of the tests' streams: -lms 200 at this scale sleeps 50 ms
const FAST = '0.25';

interface Prepared { state: string; env: Record<string, string>; bin: string }
interface LogLine { tool: string; argv: string[]; exit: number }

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-nvsmi-test-')) });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }) });

// every stream a test started, stopped after it even when the test failed half-way
const started: Stream[] = [];
afterEach(async () => {
    await Promise.all(started.splice(0).map(s => (s.child.exitCode === null && s.child.signalCode === null ? s.stop() : s.exit)));
});

/** prepareScenario() of test/sim/prepare.mjs, in a child node (jest here is CommonJS): a fresh state. */
function prepared(name: string): Prepared {
    const state = path.join(tmp, `${name}-${Math.random().toString(36).slice(2, 8)}`);
    const script = `import { prepareScenario } from ${JSON.stringify(pathToFileURL(path.join(SIM, 'prepare.mjs')).href)};
        process.stdout.write(JSON.stringify(prepareScenario(process.argv[1], process.argv[2])));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, name, state], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`prepareScenario(${name}) failed: ${r.stderr}`);
    const { env } = JSON.parse(r.stdout);
    return { state, env, bin: path.join(state, 'bin', 'nvidia-smi') };
}

// One state per scenario for the tests that change nothing but gpu-faults.json (removed after
// each test): preparing takes a while.
const sharedStates = new Map<string, Prepared>();
function shared(name: string): Prepared {
    if (!sharedStates.has(name)) sharedStates.set(name, prepared(name));
    return sharedStates.get(name)!;
}
afterEach(() => {
    for (const p of sharedStates.values()) fs.rmSync(path.join(p.state, 'scenario', 'gpu-faults.json'), { force: true });
});

function run(p: Prepared, args: string[], scale = FAST) {
    const r = spawnSync(p.bin, args, { env: { ...p.env, AIWS_SIM_TIME_SCALE: scale }, encoding: 'utf8', timeout: 10000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function log(p: Prepared): LogLine[] {
    return fs.readFileSync(path.join(p.state, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l));
}

function setFaults(p: Prepared, faults: object) {
    fs.writeFileSync(path.join(p.state, 'scenario', 'gpu-faults.json'), JSON.stringify(faults));
}

function recordedXmlGpus(p: Prepared): { uuid: string, busId: string }[] {
    const xml = run(p, ['-q', '-x']).stdout;
    return [...xml.matchAll(/<gpu id="([^"]+)">[\s\S]*?<uuid>([^<]+)<\/uuid>/g)].map(m => ({ busId: m[1], uuid: m[2] }));
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** A running invocation: its output so far, a way to wait on it, and its end. */
class Stream {
    out = '';
    readonly child: ChildProcessWithoutNullStreams;
    readonly exit: Promise<number | null>;

    constructor(p: Prepared, args: string[], scale = FAST) {
        this.child = spawn(p.bin, args, { env: { ...p.env, AIWS_SIM_TIME_SCALE: scale } });
        this.child.stdout.on('data', (d: Buffer) => { this.out += d.toString() });
        this.exit = new Promise(resolve => this.child.on('exit', code => resolve(code)));
        started.push(this);
    }

    get lines(): string[] {
        return this.out.split('\n').slice(0, -1);
    }

    async until(what: string, ok: () => boolean, ms = 5000) {
        for (const end = Date.now() + ms; !ok();) {
            if (Date.now() > end) throw new Error(`timed out waiting for ${what}; output so far:\n${this.out}`);
            await sleep(20);
        }
    }

    async stop(): Promise<number | null> {
        this.child.kill('SIGTERM');
        return this.exit;
    }
}

const liveArgs = (ms: number) => liveQueryArgv(ms).slice(1);

function samples(lines: string[]): LiveSample[] {
    return lines.map(line => {
        const r = parseLiveLine(line);
        if (!r.ok) throw new Error(`live line did not parse: ${line}: ${r.error.message}`);
        return r.sample;
    });
}

describe('the page\'s live query', () => {
    test.each(['healthy', 'multi-gpu-mig'])('%s: liveQueryArgv() lines parse with parseLiveLine, one per recorded GPU, within the recorded limits', async (name) => {
        const p = shared(name);
        const gpus = recordedXmlGpus(p);
        expect(gpus.length).toBeGreaterThan(0);
        const mig = /<current_mig>Enabled<\/current_mig>/.test(run(p, ['-q', '-x']).stdout);
        expect(mig).toBe(name === 'multi-gpu-mig');

        const s = new Stream(p, liveArgs(1000), '0.1');
        await s.until('three samples', () => s.lines.length >= 3 * gpus.length);
        expect(await s.stop()).toBe(143);
        const got = samples(s.lines);
        got.forEach((x, i) => {
            const gpu = gpus[i % gpus.length];
            expect([x.index, x.uuid, x.busId]).toEqual([i % gpus.length, gpu.uuid, gpu.busId.replace(/^0000/, '').toLowerCase()]);
            expect(x.time).toMatch(/^\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{3}$/);
            expect(x.memTotal).toBeGreaterThan(0);
            expect(x.memUsed).toBeGreaterThanOrEqual(0);
            expect(x.memUsed!).toBeLessThanOrEqual(x.memTotal!);
            expect(x.memFree!).toBeLessThanOrEqual(x.memTotal! - x.memUsed!);
            expect(x.powerDraw!).toBeLessThanOrEqual(x.powerLimit!);
            expect(x.temperature).toBeGreaterThan(0);
            if (mig) {
                expect([x.utilGpu, x.utilMem]).toEqual([null, null]);
            } else {
                for (const u of [x.utilGpu!, x.utilMem!]) {
                    expect(u).toBeGreaterThanOrEqual(0);
                    expect(u).toBeLessThanOrEqual(100);
                }
            }
        });
        expect(log(p).at(-1)).toMatchObject({ tool: 'nvidia-smi', argv: liveArgs(1000), exit: 143 });
    });

    test('a -lms 200 stream prints one block per tick until SIGTERM, logged with exit 143', async () => {
        const p = shared('not-ostree');
        const gpus = recordedXmlGpus(p);
        expect(gpus).toHaveLength(2);
        const logged = log(p).length;
        const s = new Stream(p, liveArgs(200), '1');
        // from the first block on (node's start-up is not the stream's business)
        await s.until('the first block', () => s.lines.length >= 2);
        await sleep(1000);
        const running = fs.readdirSync(path.join(p.state, 'running'));
        expect(running).toEqual([`${s.child.pid}.json`]);
        expect(await s.stop()).toBe(143);
        const got = samples(s.lines);
        expect(got.length % 2).toBe(0);
        const blocks = got.length / 2;
        expect(blocks).toBeGreaterThanOrEqual(4);
        expect(blocks).toBeLessThanOrEqual(7);
        for (let b = 0; b < blocks; b++) {
            expect(got.slice(2 * b, 2 * b + 2).map(x => x.index)).toEqual([0, 1]);
            // one timestamp per block, later than the one before
            expect(got[2 * b].time).toBe(got[2 * b + 1].time);
            if (b > 0) expect(got[2 * b].time > got[2 * b - 1].time).toBe(true);
        }
        expect(log(p).slice(logged)).toEqual([expect.objectContaining({ argv: liveArgs(200), exit: 143 })]);
        expect(fs.readdirSync(path.join(p.state, 'running'))).toEqual([]);
    });

    test('without a loop flag it prints once and exits 0', () => {
        const p = shared('healthy');
        const r = run(p, liveQueryArgv(1000).slice(1, 3));
        expect(r.status).toBe(0);
        expect(samples(r.stdout.split('\n').slice(0, -1))).toHaveLength(1);
    });
});

describe('CSV as nvidia-smi prints it', () => {
    let p: Prepared;
    beforeAll(() => { p = shared('healthy') });
    const recordedHeader = (rel: string) => fs.readFileSync(path.join(FIXTURES, rel), 'utf8').split('\n')[0];

    test('the header names, units and cell format of the recorded CSVs', () => {
        const recorded = new Map(recordedHeader('nvidia-smi-csv/h100-mig-590-query-gpu-allfields-idle.csv').split(', ').map(c => [c.split(' ')[0], c]));
        const r = run(p, [`--query-gpu=${LIVE_QUERY_FIELDS.join(',')}`, '--format=csv']);
        expect(r.status).toBe(0);
        const [header, row, ...rest] = r.stdout.split('\n');
        expect(rest).toEqual(['']);
        expect(header).toBe(LIVE_QUERY_FIELDS.map(f => recorded.get(f)).join(', '));
        expect(row).toMatch(/^0, GPU-[0-9a-f-]+, 00000000:2D:00\.0, [\d/: .]+, \d+ %, \d+ %, 12288 MiB, \d+ MiB, \d+ MiB, \d+, \d+\.\d\d W, 170\.00 W, \d+ MHz, \d+ MHz, \d+ %, P\d+$/);
        const table = parseQueryCsv(r.stdout);
        expect(table.fields).toEqual([...LIVE_QUERY_FIELDS]);
        expect(table.units).toMatchObject({ 'memory.total': 'MiB', 'power.draw': 'W', 'clocks.current.sm': 'MHz' });

        // nounits drops the units of the values, not of the header
        const nounits = run(p, ['--query-gpu=memory.total,power.limit', '--format=csv,nounits']).stdout;
        expect(nounits).toBe('memory.total [MiB], power.limit [W]\n12288, 170.00\n');
        // aliases print their canonical names in the header
        expect(run(p, ['--query-gpu=gpu_name,clocks.sm', '--format=csv']).stdout.split('\n')[0]).toBe('name, clocks.current.sm [MHz]');
    });

    test('compute apps: the recorded header, alone when no process runs; nothing at all with noheader', () => {
        const cmd = fs.readFileSync(path.join(FIXTURES, 'nvidia-smi-csv/h100-mig-590-query-compute-apps-load.cmd.txt'), 'utf8').trim().split(/\s+/).slice(1);
        const r = run(p, cmd);
        expect([r.status, r.stdout]).toEqual([0, `${recordedHeader('nvidia-smi-csv/h100-mig-590-query-compute-apps-load.csv')}\n`]);
        expect(parseComputeApps(r.stdout)).toEqual([]);
        const bare = run(p, computeAppsArgv().slice(1));
        expect([bare.status, bare.stdout]).toEqual([0, '']);
        expect(parseComputeApps(bare.stdout)).toEqual([]);
    });

    test('an unknown field answers nvidia-smi\'s message and exit 2', () => {
        for (const args of [['--query-gpu=index,device_minor', '--format=csv,noheader,nounits'], ['--query-compute-apps=pid,device_minor', '--format=csv', '-lms', '200']]) {
            const r = run(p, args);
            expect([r.status, r.stdout, r.stderr]).toEqual([2, 'Field "device_minor" is not a valid field to query.\n\n', '']);
        }
    });

    test('a missing or bad --format, or two queries at once, is an invalid combination (exit 2)', () => {
        for (const args of [['--query-gpu=index'], ['--query-gpu=index', '--format=json'], ['--query-gpu=index', '--format=noheader'], ['--query-gpu=index', '--query-compute-apps=pid', '--format=csv']]) {
            const r = run(p, args);
            expect([args, r.status, r.stdout]).toEqual([args, 2, 'Invalid combination of input arguments. Please run \'nvidia-smi -h\' for help.\n']);
        }
    });

    test('an option the simulator does not know is left to "no recording" (exit 64)', () => {
        const r = run(p, ['--query-gpu=index', '--format=csv', '-i', '0']);
        expect(r.status).toBe(64);
        expect(r.stderr).toContain('no recording for');
    });
});

describe('compute apps', () => {
    const UUID_A100 = 'GPU-513536b6-7d19-9063-b049-1e69664bb298';

    test('multi-gpu-mig: compute-apps.json processes parse with parseComputeApps, once and streamed', async () => {
        const p = shared('multi-gpu-mig');
        const once = run(p, computeAppsArgv().slice(1));
        expect(once.status).toBe(0);
        expect(parseComputeApps(once.stdout)).toEqual([
            { pid: 21180, processName: '/root/tools/memhog', usedMemoryMiB: 2296, gpuUuid: UUID_A100, gpuBusId: '0000:01:00.0' },
            { pid: 21181, processName: '/root/tools/memhog', usedMemoryMiB: 1272, gpuUuid: UUID_A100, gpuBusId: '0000:01:00.0' },
            { pid: 21198, processName: './gpu_burn', usedMemoryMiB: 7484, gpuUuid: UUID_A100, gpuBusId: '0000:01:00.0' },
        ]);
        // the processes' memory shows in memory.used
        const used = Number(run(p, ['--query-gpu=memory.used', '--format=csv,noheader,nounits']).stdout);
        expect(used).toBeGreaterThanOrEqual(50 + 2296 + 1272 + 7484);

        const s = new Stream(p, computeAppsStreamArgv(200).slice(1));
        await s.until('two ticks', () => s.lines.length >= 6);
        expect(await s.stop()).toBe(143);
        for (const line of s.lines)
            expect(parseComputeApps(line, COMPUTE_APPS_STREAM_FIELDS)).toEqual([expect.objectContaining({ gpuUuid: UUID_A100 })]);
        expect(s.lines.slice(0, 3).map(l => parseComputeApps(l, COMPUTE_APPS_STREAM_FIELDS)[0].pid)).toEqual([21180, 21181, 21198]);
    });

    test('the compute processes of the -q -x recording come first; graphics-only ones are left out', () => {
        const p = prepared('healthy');
        // this state's scenario is a mutable copy: give it the Tesla T4 recording (Xorg "G", python "C")
        const index = path.join(p.state, 'scenario/commands/nvidia-smi/index.json');
        const entries = JSON.parse(fs.readFileSync(index, 'utf8'));
        entries[0].stdout = '@fixtures/nvidia-smi-xml/telegraf-tesla-t4-515.xml';
        fs.writeFileSync(index, JSON.stringify(entries));
        fs.writeFileSync(path.join(p.state, 'scenario/commands/nvidia-smi/compute-apps.json'), JSON.stringify([{ gpu: 0, pid: 1, processName: 'ignored', usedMiB: 1 }]));
        const apps = parseComputeApps(run(p, computeAppsArgv().slice(1)).stdout);
        expect(apps).toEqual([expect.objectContaining({ pid: 5762, processName: 'python', usedMemoryMiB: 1005 })]);
    });

    test('healthy: with no process the stream runs and prints nothing per tick', async () => {
        const p = shared('healthy');
        const s = new Stream(p, computeAppsStreamArgv(200).slice(1));
        await sleep(400);
        expect(fs.readdirSync(path.join(p.state, 'running'))).toEqual([`${s.child.pid}.json`]);
        expect(await s.stop()).toBe(143);
        expect(s.out).toBe('');
    });
});

describe('a broken nvidia-smi', () => {
    test('driver-mismatch: the "*" answer wins over queries and streams', () => {
        const p = shared('driver-mismatch');
        const message = fs.readFileSync(path.join(FIXTURES, 'nvidia-smi-errors/nvml-version-mismatch-550.txt'), 'utf8');
        const logged = log(p).length;
        for (const args of [liveArgs(200), liveQueryArgv(1000).slice(1, 3), computeAppsArgv().slice(1), ['--query-gpu=nonsense', '--format=csv']]) {
            const r = run(p, args);
            expect([r.status, r.stdout]).toEqual([18, message]);
        }
        expect(log(p).slice(logged).map(l => l.exit)).toEqual([18, 18, 18, 18]);
    });
});

describe('faults in <state>/scenario/gpu-faults.json', () => {
    test('stall: the stream keeps running silently; ok: it comes back', async () => {
        const p = shared('healthy');
        const s = new Stream(p, liveArgs(200));
        await s.until('a sample', () => s.lines.length >= 2);
        setFaults(p, { stream: 'stall' });
        // a tick that read the faults just before the change may still print (a loaded machine is slow)
        await sleep(1000);
        const silent = s.lines.length;
        await sleep(800);
        expect(s.lines.length).toBe(silent);
        expect(s.child.exitCode).toBeNull();
        setFaults(p, { stream: 'ok' });
        await s.until('samples again', () => s.lines.length >= silent + 2);
        expect(await s.stop()).toBe(143);
        expect(samples(s.lines).length).toBe(s.lines.length);
    });

    test('die: the stream ends with the recorded "GPU is lost" message for that GPU, exit 15', async () => {
        const p = shared('not-ostree');
        const s = new Stream(p, liveArgs(200));
        await s.until('a block', () => s.lines.length >= 2);
        setFaults(p, { stream: 'die', gpu: 1 });
        expect(await s.exit).toBe(15);
        expect(s.lines.at(-1)).toBe('Unable to determine the device handle for GPU 0000:02:00.0: GPU is lost.  Reboot the system to recover this GPU');
        expect(parseLiveLine(s.lines.at(-1)!).ok).toBe(false);
        expect(log(p).at(-1)).toMatchObject({ argv: liveArgs(200), exit: 15 });
    });

    test('garbage: one malformed line per tick in place of that GPU\'s line', async () => {
        const p = shared('not-ostree');
        setFaults(p, { stream: 'garbage', gpu: 1 });
        const s = new Stream(p, liveArgs(200));
        await s.until('three blocks', () => s.lines.length >= 6);
        expect(await s.stop()).toBe(143);
        const results = s.lines.slice(0, 6).map(l => parseLiveLine(l));
        expect(results.map(r => r.ok)).toEqual([true, false, true, false, true, false]);
        expect(results.filter(r => r.ok).map(r => r.ok && r.sample.index)).toEqual([0, 0, 0]);
    });

    test('lose-gpu: that GPU\'s lines stop appearing, the others go on', async () => {
        const p = shared('not-ostree');
        const s = new Stream(p, liveArgs(200));
        await s.until('a block', () => s.lines.length >= 2);
        setFaults(p, { stream: 'lose-gpu', gpu: 0 });
        await sleep(150);
        const from = s.lines.length;
        await s.until('more samples', () => s.lines.length >= from + 3);
        expect(await s.stop()).toBe(143);
        expect(samples(s.lines.slice(from)).map(x => x.index)).toEqual(s.lines.slice(from).map(() => 1));
    });

    test('query "hang": -q -x and one-shot queries hang until stopped; -L and streams do not', async () => {
        const p = shared('healthy');
        setFaults(p, { query: 'hang' });
        const logged = log(p).length;
        for (const args of [['-q', '-x'], liveQueryArgv(1000).slice(1, 3)]) {
            const s = new Stream(p, args);
            await sleep(400);
            expect([args, s.child.exitCode, s.out]).toEqual([args, null, '']);
            expect(await s.stop()).toBe(143);
        }
        expect(run(p, ['-L']).status).toBe(0);
        const s = new Stream(p, liveArgs(200));
        await s.until('a sample', () => s.lines.length >= 1);
        expect(await s.stop()).toBe(143);
        expect(log(p).slice(logged).map(l => [l.argv[0], l.exit])).toEqual([['-q', 143], [liveQueryArgv(1000)[1], 143], ['-L', 0], [liveQueryArgv(1000)[1], 143]]);
    });

    test('a half-written faults file keeps the last faults; an unknown fault is a simulator error', async () => {
        const p = shared('healthy');
        const s = new Stream(p, liveArgs(200));
        await s.until('a sample', () => s.lines.length >= 1);
        fs.writeFileSync(path.join(p.state, 'scenario', 'gpu-faults.json'), '{"stream": "st');
        await sleep(150);
        const before = s.lines.length;
        await s.until('more samples', () => s.lines.length > before);
        setFaults(p, { stream: 'explode' });
        expect(await s.exit).toBe(70);
        expect(log(p).at(-1)).toMatchObject({ exit: 70 });
    });
});
