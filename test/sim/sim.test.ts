/** @jest-environment node */
// Tests of the simulated workstation (test/sim): prepare.mjs, tool.mjs and the scenarios.
// Everything runs as separate processes, the way cockpit-bridge runs the tools.

import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SIM = __dirname;
const PREPARE = path.join(SIM, 'prepare.mjs');
const SCENARIOS = path.join(SIM, 'scenarios');
const FIXTURES = path.resolve(SIM, '..', 'fixtures');
const EXPECTED_SCENARIOS = ['bootc', 'driver-mismatch', 'healthy', 'kernel-module-mismatch', 'multi-gpu-mig', 'no-driver-loaded', 'no-nvidia',
    'not-ostree', 'nouveau-bound', 'stale-cdi', 'unsigned-secure-boot'];

interface LogLine { time: string; tool: string; argv: string[]; uid: number; admin: boolean; exit: number }
interface Prepared { state: string; env: Record<string, string> }

let tmp: string;
beforeAll(() => { tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-sim-test-')) });
afterAll(() => { fs.rmSync(tmp, { recursive: true, force: true }) });

function prepare(name: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> & { state: string } {
    const state = path.join(tmp, `${name}-${Math.random().toString(36).slice(2, 8)}`);
    const r = spawnSync(process.execPath, [PREPARE, name, state], { encoding: 'utf8', env: { ...process.env, ...extraEnv } });
    return Object.assign(r, { state });
}

function prepared(name: string, extraEnv: Record<string, string> = {}): Prepared {
    const r = prepare(name, extraEnv);
    if (r.status !== 0) throw new Error(`prepare ${name} failed (${r.status}): ${r.stderr}`);
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(r.state, 'env'), 'utf8').split('\n').filter(Boolean)) {
        const i = line.indexOf('=');
        env[line.slice(0, i)] = line.slice(i + 1);
    }
    return { state: r.state, env };
}

// runs a shell command line with only the state's env, as the bridge would
function sh(p: Prepared, script: string, args: string[] = [], extraEnv: Record<string, string> = {}): SpawnSyncReturns<Buffer> {
    return spawnSync('/bin/sh', ['-c', script, 'sh', ...args], { env: { ...p.env, ...extraEnv } });
}

// runs one tool by name, looked up on the state's PATH
function run(p: Prepared, tool: string, args: string[]): SpawnSyncReturns<Buffer> {
    return sh(p, `exec ${tool} "$@"`, args);
}

function log(p: Prepared): LogLine[] {
    return fs.readFileSync(path.join(p.state, 'log.jsonl'), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l));
}

function fixture(rel: string): Buffer {
    return fs.readFileSync(path.join(FIXTURES, rel));
}

function resolveRef(ref: string, base: string): string {
    return ref.startsWith('@fixtures/') ? path.join(FIXTURES, ref.slice('@fixtures/'.length)) : path.join(base, ref);
}

// a throwaway scenarios folder for cases the real scenarios should not carry
function scratchScenarios(defs: Record<string, { json: object; index?: Record<string, object[]> }>): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'scenarios-'));
    for (const [name, def] of Object.entries(defs)) {
        fs.mkdirSync(path.join(dir, name), { recursive: true });
        fs.writeFileSync(path.join(dir, name, 'scenario.json'), JSON.stringify(def.json));
        for (const [tool, entries] of Object.entries(def.index ?? {})) {
            fs.mkdirSync(path.join(dir, name, 'commands', tool), { recursive: true });
            fs.writeFileSync(path.join(dir, name, 'commands', tool, 'index.json'), JSON.stringify(entries));
            fs.writeFileSync(path.join(dir, name, 'commands', tool, 'out.txt'), `${tool} recorded\n`);
        }
    }
    return dir;
}

describe('scenario folders', () => {
    const scenarios = fs.readdirSync(SCENARIOS).filter(n => fs.existsSync(path.join(SCENARIOS, n, 'scenario.json'))).sort();

    test('a scenario that extends another gets its tools and files, minus what it drops, plus its own', () => {
        const base = prepared('healthy');
        const child = prepared('no-driver-loaded');
        // inherited as they are
        expect(fs.readFileSync(path.join(child.state, 'root/etc/os-release'), 'utf8')).toBe(fs.readFileSync(path.join(base.state, 'root/etc/os-release'), 'utf8'));
        expect(fs.existsSync(path.join(child.state, 'scenario/commands/rpm-ostree/index.json'))).toBe(true);
        // dropped: the loaded module's files
        expect(fs.existsSync(path.join(base.state, 'root/sys/module/nvidia/version'))).toBe(true);
        expect(fs.existsSync(path.join(child.state, 'root/sys/module/nvidia'))).toBe(false);
        // replaced as a whole: nvidia-smi answers the child's failure for every argv
        const r = spawnSync('/bin/sh', ['-c', 'nvidia-smi -q -x'], { env: child.env, encoding: 'utf8' });
        expect(r.status).toBe(9);
        expect(r.stdout).toContain("couldn't communicate with the NVIDIA driver");
        const merged = JSON.parse(fs.readFileSync(path.join(child.state, 'scenario/scenario.json'), 'utf8'));
        expect(merged.extends).toEqual(['healthy']);
        expect(merged.notes.length).toBeGreaterThan(JSON.parse(fs.readFileSync(path.join(SCENARIOS, 'no-driver-loaded/scenario.json'), 'utf8')).notes.length);
        // a scenario without a tool lacks it even though its base has it
        const none = prepared('no-nvidia');
        expect(spawnSync('/bin/sh', ['-c', 'command -v nvidia-smi'], { env: none.env }).status).not.toBe(0);
    });

    test('the documented scenarios exist', () => {
        expect(scenarios).toEqual(expect.arrayContaining(EXPECTED_SCENARIOS));
    });

    test.each(scenarios)('%s references only files that exist', (name) => {
        const dir = path.join(SCENARIOS, name);
        const sj = JSON.parse(fs.readFileSync(path.join(dir, 'scenario.json'), 'utf8'));
        expect(typeof sj.description).toBe('string');
        const refs: string[] = Object.values(sj.files ?? {}).map(ref => resolveRef(ref as string, dir));
        const cmdDir = path.join(dir, 'commands');
        for (const tool of fs.existsSync(cmdDir) ? fs.readdirSync(cmdDir) : []) {
            const index = JSON.parse(fs.readFileSync(path.join(cmdDir, tool, 'index.json'), 'utf8'));
            expect(Array.isArray(index)).toBe(true);
            for (const e of index) {
                expect(e.argv === '*' || Array.isArray(e.argv)).toBe(true);
                for (const k of ['stdout', 'stderr'])
                    if (e[k] !== undefined) refs.push(resolveRef(e[k], path.join(cmdDir, tool)));
            }
        }
        // a scenario that extends another may consist of its scenario.json alone
        if (sj.extends === undefined)
            expect(refs.length).toBeGreaterThan(0);
        expect(refs.filter(f => !fs.existsSync(f))).toEqual([]);
    });

    test('every fixture has a provenance row in test/fixtures/SOURCES.md', () => {
        const sources = fs.readFileSync(path.join(FIXTURES, 'SOURCES.md'), 'utf8');
        const files: string[] = [];
        for (const cat of fs.readdirSync(FIXTURES).filter(c => fs.statSync(path.join(FIXTURES, c)).isDirectory()))
            for (const f of fs.readdirSync(path.join(FIXTURES, cat))) files.push(`${cat}/${f}`);
        expect(files.length).toBeGreaterThan(40);
        expect(files.filter(f => !sources.includes(`\`${f}\``))).toEqual([]);
    });
});

describe('prepare.mjs', () => {
    test('creates root, bin, env, log and the mutable scenario copy', () => {
        const p = prepared('healthy');
        expect(p.env).toEqual({ PATH: path.join(p.state, 'bin'), AI_WORKSTATION_ROOT: path.join(p.state, 'root'), AIWS_SIM_STATE: p.state });
        expect(fs.readFileSync(path.join(p.state, 'log.jsonl'), 'utf8')).toBe('');
        expect(fs.statSync(path.join(p.state, 'log.jsonl')).mode & 0o777).toBe(0o666);
        expect(fs.statSync(path.join(p.state, 'env')).mode & 0o777).toBe(0o644);
        expect(fs.readFileSync(path.join(p.state, 'root/etc/os-release'))).toEqual(fixture('os-release/fedora-silverblue-34-lkml.txt'));
        expect(fs.readFileSync(path.join(p.state, 'root/run/ostree-booted'), 'utf8')).toBe('');
        expect(fs.readFileSync(path.join(p.state, 'root/proc/sys/kernel/osrelease'), 'utf8')).toBe('5.9.11-200.fc33.x86_64\n');
        expect(fs.readlinkSync(path.join(p.state, 'root/run/podman/podman.sock'))).toBe('/run/podman/podman.sock');
        expect(fs.existsSync(path.join(p.state, 'scenario/commands/rpm-ostree/index.json'))).toBe(true);
        const wrapper = fs.readFileSync(path.join(p.state, 'bin/nvidia-smi'), 'utf8');
        expect(wrapper).toMatch(/^#!\/bin\/sh\n/);
        expect(fs.statSync(path.join(p.state, 'bin/nvidia-smi')).mode & 0o777).toBe(0o755);
    });

    test('preparing again wipes the previous state', () => {
        const p = prepared('healthy');
        fs.writeFileSync(path.join(p.state, 'root/leftover'), 'x');
        const r = spawnSync(process.execPath, [PREPARE, 'no-nvidia', p.state], { encoding: 'utf8' });
        expect(r.status).toBe(0);
        expect(fs.existsSync(path.join(p.state, 'root/leftover'))).toBe(false);
        expect(fs.existsSync(path.join(p.state, 'bin/nvidia-smi'))).toBe(false);
    });

    test('refuses to wipe a non-empty folder it did not make', () => {
        const dir = fs.mkdtempSync(path.join(tmp, 'foreign-'));
        fs.writeFileSync(path.join(dir, 'precious'), 'keep me');
        const r = spawnSync(process.execPath, [PREPARE, 'healthy', dir], { encoding: 'utf8' });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('refusing to wipe');
        expect(fs.readFileSync(path.join(dir, 'precious'), 'utf8')).toBe('keep me');
    });

    test('an unknown scenario is an error that lists the available ones', () => {
        const r = prepare('no-such-scenario');
        expect(r.status).toBe(2);
        expect(r.stderr).toContain('unknown scenario "no-such-scenario"');
        for (const s of EXPECTED_SCENARIOS) expect(r.stderr).toContain(s);
        expect(fs.existsSync(r.state)).toBe(false);
    });

    test.each(EXPECTED_SCENARIOS)('scenario %s prepares', (name) => {
        const r = prepare(name);
        expect(r.stderr).not.toContain('invalid');
        expect(r.status).toBe(0);
    });
});

describe('tools on the simulated PATH', () => {
    let healthy: Prepared;
    beforeAll(() => { healthy = prepared('healthy') });

    test('a provided tool answers its recording and logs the invocation', () => {
        const r = run(healthy, 'nvidia-smi', ['-q', '-x']);
        expect(r.status).toBe(0);
        expect(r.stdout).toEqual(fixture('nvidia-smi-xml/telegraf-rtx3060-570.xml'));
        expect(r.stderr.toString()).toBe('');
        const last = log(healthy).at(-1)!;
        expect(last).toEqual({ time: expect.any(String), tool: 'nvidia-smi', argv: ['-q', '-x'], uid: process.getuid!(), admin: process.getuid!() === 0, exit: 0 });
        expect(new Date(last.time).toISOString()).toBe(last.time);
    });

    test('rpm-ostree status --json answers the Silverblue recording', () => {
        const r = run(healthy, 'rpm-ostree', ['status', '--json']);
        expect(r.status).toBe(0);
        const st = JSON.parse(r.stdout.toString());
        expect(st.deployments.map((d: { booted: boolean }) => d.booted)).toEqual([true, false]);
    });

    test('an argv without a recording exits 64, says so and is logged', () => {
        const before = log(healthy).length;
        const r = run(healthy, 'nvidia-smi', ['--no-such-option']);
        expect(r.status).toBe(64);
        expect(r.stdout.toString()).toBe('');
        expect(r.stderr.toString()).toBe('simulated nvidia-smi: no recording for: ["--no-such-option"]\n');
        const lines = log(healthy);
        expect(lines.length).toBe(before + 1);
        expect(lines.at(-1)).toMatchObject({ tool: 'nvidia-smi', argv: ['--no-such-option'], exit: 64 });
    });

    test('basic utilities of the machine are found and work', () => {
        for (const tool of ['sh', 'cat', 'id', 'uname', 'mkdir', 'mv', 'printenv']) {
            const r = sh(healthy, `command -v ${tool}`);
            expect([tool, r.status, r.stdout.toString()]).toEqual([tool, 0, `${path.join(healthy.env.PATH, tool)}\n`]);
        }
        const r = sh(healthy, 'cat "$AI_WORKSTATION_ROOT/proc/sys/kernel/osrelease"');
        expect(r.stdout.toString()).toBe('5.9.11-200.fc33.x86_64\n');
    });

    test('a tool the scenario leaves out is not found', () => {
        const p = prepared('no-nvidia');
        const r = sh(p, 'command -v nvidia-smi');
        expect(r.status).not.toBe(0);
        expect(r.stdout.toString()).toBe('');
        expect(sh(p, 'command -v rpm-ostree').status).toBe(0);
    });

    test('a non-ostree host has neither rpm-ostree nor /run/ostree-booted', () => {
        const p = prepared('not-ostree');
        for (const tool of ['rpm-ostree', 'ostree', 'bootc']) expect(sh(p, `command -v ${tool}`).status).not.toBe(0);
        expect(sh(p, 'test -e "$AI_WORKSTATION_ROOT/run/ostree-booted"').status).not.toBe(0);
        expect(sh(p, 'test -e "$AI_WORKSTATION_ROOT/etc/os-release"').status).toBe(0);
        expect(run(p, 'nvidia-smi', ['-L']).stdout.toString().split('\n').filter(Boolean)).toHaveLength(2);
    });

    test('driver-mismatch: nvidia-smi fails like the real one for any argv', () => {
        const p = prepared('driver-mismatch');
        for (const args of [['-q', '-x'], ['-L'], []]) {
            const r = run(p, 'nvidia-smi', args);
            expect(r.status).toBe(18);
            expect(r.stdout.toString()).toBe('Failed to initialize NVML: Driver/library version mismatch\nNVML library version: 550.144\n');
        }
        expect(log(p).map(l => [l.argv, l.exit])).toEqual([[['-q', '-x'], 18], [['-L'], 18], [[], 18]]);
    });

    test('multi-gpu-mig answers the recorded CSV query argv', () => {
        const p = prepared('multi-gpu-mig');
        const argv = fixture('nvidia-smi-csv/h100-mig-590-query-compute-apps-load.cmd.txt').toString().trim().split(/\s+/).slice(1);
        const r = run(p, 'nvidia-smi', argv);
        expect(r.status).toBe(0);
        expect(r.stdout).toEqual(fixture('nvidia-smi-csv/h100-mig-590-query-compute-apps-load.csv'));
        expect(run(p, 'bootc', ['status', '--json']).status).toBe(0);
        expect(sh(p, 'cat "$AI_WORKSTATION_ROOT/proc/cmdline"').stdout).toEqual(fixture('kargs-cmdline/proc-cmdline-rhel94-image-mode.txt'));
    });
});

describe('host tools, real and hidden', () => {
    const ssOnMachine = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'].some(d => fs.existsSync(path.join(d, 'ss')));
    const scenarios = () => scratchScenarios({
        hidden: { json: { description: 'ss left out' } },
        real: { json: { description: 'real ss', real: ['ss'] } },
        bad: { json: { description: 'real and simulated', real: ['ss'] }, index: { ss: [{ argv: [], stdout: 'out.txt' }] } },
    });

    test('a host tool is hidden unless the scenario asks for the real one', () => {
        const dir = scenarios();
        const hidden = prepared('hidden', { AIWS_SIM_SCENARIOS: dir });
        expect(fs.existsSync(path.join(hidden.state, 'bin/ss'))).toBe(false);
        expect(sh(hidden, 'command -v ss').status).not.toBe(0);
        const real = prepared('real', { AIWS_SIM_SCENARIOS: dir });
        if (ssOnMachine) {
            expect(sh(real, 'command -v ss').status).toBe(0);
            expect(fs.readlinkSync(path.join(real.state, 'bin/ss'))).toMatch(/\/ss$/);
        }
    });

    test('a tool cannot be both real and simulated', () => {
        const r = prepare('bad', { AIWS_SIM_SCENARIOS: scenarios() });
        expect(r.status).toBe(1);
        expect(r.stderr).toContain('"ss" is both real and simulated');
    });

    test('a handler in the handlers folder answers first and falls back to index.json', () => {
        const dir = scratchScenarios({ h: { json: { description: 'handler' }, index: { fakectl: [{ argv: ['show'], stdout: 'out.txt' }] } } });
        const handlers = fs.mkdtempSync(path.join(tmp, 'handlers-'));
        fs.writeFileSync(path.join(handlers, 'fakectl.mjs'), `
            import fs from 'node:fs';
            import path from 'node:path';
            export function handle(argv, ctx) {
                if (argv[0] !== 'pin') return null;
                fs.writeFileSync(path.join(ctx.scenarioDir, 'pinned'), argv[1]);
                return { stdout: 'pinned ' + argv[1] + (ctx.admin ? ' as admin' : '') + '\\n', exit: 0 };
            }`);
        const p = prepared('h', { AIWS_SIM_SCENARIOS: dir });
        const env = { AIWS_SIM_HANDLERS: handlers };
        const pin = sh(p, 'exec fakectl pin 1', [], env);
        expect([pin.status, pin.stdout.toString()]).toEqual([0, `pinned 1${process.getuid!() === 0 ? ' as admin' : ''}\n`]);
        expect(fs.readFileSync(path.join(p.state, 'scenario/pinned'), 'utf8')).toBe('1');
        const show = sh(p, 'exec fakectl show', [], env);
        expect([show.status, show.stdout.toString()]).toEqual([0, 'fakectl recorded\n']);
        expect(log(p).map(l => l.exit)).toEqual([0, 0]);
    });

    test('a streaming handler writes as it goes, shows in running/ and is logged with 143 when stopped', async () => {
        const dir = scratchScenarios({ s: { json: { description: 'stream' }, index: { streamctl: [] } } });
        const handlers = fs.mkdtempSync(path.join(tmp, 'handlers-'));
        fs.writeFileSync(path.join(handlers, 'streamctl.mjs'), `
            export async function handle(argv, ctx) {
                for (let i = 0; !ctx.signal.aborted; i++) {
                    ctx.write('tick ' + i + '\\n');
                    await ctx.sleep(Number(argv[0]));
                }
                return { exit: 0 };
            }`);
        const p = prepared('s', { AIWS_SIM_SCENARIOS: dir });
        const child = spawn('/bin/sh', ['-c', 'exec streamctl 200'], { env: { ...p.env, AIWS_SIM_HANDLERS: handlers, AIWS_SIM_TIME_SCALE: '0.25' } });
        let out = '';
        await new Promise<void>(resolve => child.stdout.on('data', (d: Buffer) => {
            out += d.toString();
            if (out.split('\n').length > 3) resolve();
        }));
        expect(out).toMatch(/^tick 0\ntick 1\ntick 2\n/);
        const running = fs.readdirSync(path.join(p.state, 'running'));
        expect(running).toEqual([`${child.pid}.json`]);
        expect(JSON.parse(fs.readFileSync(path.join(p.state, 'running', running[0]), 'utf8'))).toMatchObject({ tool: 'streamctl', argv: ['200'] });
        expect(log(p)).toEqual([]);
        const exit = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)));
        child.kill('SIGTERM');
        expect(await exit).toBe(143);
        expect(log(p).map(l => [l.tool, l.exit])).toEqual([['streamctl', 143]]);
        expect(fs.readdirSync(path.join(p.state, 'running'))).toEqual([]);
    });
});
