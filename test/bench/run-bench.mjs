// `make bench`: measures the built package in a real Cockpit and Chromium against the
// simulated `healthy` workstation and writes bench/results.json and bench/README.md.
//
//   1. gzipped size of dist/ (the page's JS + CSS; translations apart)
//   2. time from navigation to the Overview's System card showing data, median of 5
//      fresh sessions (after one uncounted warm-up)
//   3. host processes the page starts in its first 60 s open and idle: simulated tool
//      invocations (the simulator's log) and every process the bridge spawns for the
//      page's frame (control messages seen by test/bench/bridge-tap.mjs), with the
//      process trees under them (strace -f)
//   4. per tab (Deployments, GPUs): time to data and host processes per idle minute;
//      the GPUs tab with eight GPUs: time from live samples arriving to their render
//      (test/bench/tab-bench.mjs)
//   5. the Models tab against Cockpit's own podman page (cockpit-podman): time from
//      navigation to the list of 10 model servers rendered, same Cockpit, podman and
//      containers, median of 5 interleaved runs each (test/bench/models-bench.mjs)
//   6. Network egress: parse time of 50,000 ss lines, and load time of 100,000 logged
//      events (test/bench/egress-bench.ts, in Node); time to render 10,000 connections in the
//      live connections table, a new snapshot of them and the next page, in Chromium
//      (test/bench/egress-render-bench.mjs)
//
// Plain Node 20 ESM; needs `make` (dist/), cockpit-ws + cockpit-bridge, Chromium, and for 5.
// podman and cockpit-podman (`make deps`).
//
//   node test/bench/run-bench.mjs              everything, writes bench/results.json and bench/README.md
//   node test/bench/run-bench.mjs --only models  only 5., prints its rows and writes nothing
//   node test/bench/run-bench.mjs --only egress  only 6., updated in bench/results.json and bench/README.md
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startCockpit, repoRoot, PACKAGE_NAME } from '../cockpit/cockpit-sim.mjs';
import { measureTab, writeEightGpuScenarios } from './tab-bench.mjs';
import { measureModelsList, modelsHow, modelsRows } from './models-bench.mjs';
import { egressRenderRows, measureEgressRender } from './egress-render-bench.mjs';

const PARTS = ['models', 'egress'];
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
if (args.only !== undefined && !PARTS.includes(args.only)) {
    console.error(`--only takes one of: ${PARTS.join(', ')}`);
    process.exit(2);
}

const FRAME = `iframe[name="cockpit1:localhost/${PACKAGE_NAME}"]`;
const GROUP = `cockpit1:localhost/${PACKAGE_NAME}`;
const FIELD = '[data-field="kernel"]';
const SCENARIO = 'healthy';
const RUNS = 5;
const IDLE_WINDOW_S = 60;
const EARLY_S = 5;
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'];
const BARS = {
    sizeGzipKB: { value: 575, what: 'Cockpit\'s own podman page (Debian cockpit-podman 67) ships 575 KB gzipped' },
    firstRenderMs: { value: 1100, what: 'cockpit-podman shows its container list about 1.1 s after navigation on this kind of machine' },
    processes: { value: null, what: 'no bar set; Cockpit\'s own Overview frame, preloaded by the shell in the same session, is listed for comparison' },
};

const distDir = path.join(repoRoot, 'dist');
const benchDir = path.join(repoRoot, 'bench');
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-bench-'));
fs.chmodSync(tmpRoot, 0o755);

// everything started is stopped again, also on failure or Ctrl-C
const cleanups = new Set();
function track(stop) {
    const entry = async () => {
        cleanups.delete(entry);
        await stop();
    };
    cleanups.add(entry);
    return entry;
}
async function cleanupAll() {
    for (const entry of [...cleanups])
        await entry().catch(() => undefined);
    fs.rmSync(tmpRoot, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
        console.error(`\n${signal}: stopping Cockpit and Chromium…`);
        cleanupAll().finally(() => process.exit(130));
    });
}

function log(message) {
    process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

function sh(file, args) {
    try {
        return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
        return null;
    }
}

function median(values) {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---- 1. size ---------------------------------------------------------------------------

function measureSize() {
    if (!fs.existsSync(path.join(distDir, 'manifest.json')))
        throw new Error('dist/ has no built package: run "make" first');
    const files = fs.readdirSync(distDir).filter(name => /\.(js|css)\.gz$/.test(name));
    const size = name => fs.statSync(path.join(distDir, name)).size;
    const sum = names => names.reduce((total, name) => total + size(name), 0);
    const po = files.filter(name => name.startsWith('po.'));
    const js = files.filter(name => name.endsWith('.js.gz') && !name.startsWith('po.'));
    const css = files.filter(name => name.endsWith('.css.gz'));
    return {
        js: sum(js),
        css: sum(css),
        po: sum(po),
        totalJsCss: sum(js) + sum(css),
        files: Object.fromEntries(files.sort().map(name => [name, size(name)])),
    };
}

// ---- 2. first render -------------------------------------------------------------------

/** Resolves to the browser's clock (ms since epoch) at the first animation frame where the
 *  package frame and its kernel field are displayed and the field has text. */
function waitForKernelField(page, timeout) {
    return page.waitForFunction(([frameSelector, fieldSelector]) => {
        /* global document, window */
        const shown = (element, win) => {
            if (!element || element.getClientRects().length === 0)
                return false;
            const rect = element.getBoundingClientRect();
            const style = win.getComputedStyle(element);
            return rect.width > 0 && rect.height > 0 && style.visibility !== 'hidden';
        };
        const iframe = document.querySelector(frameSelector);
        if (!shown(iframe, window))
            return false;
        const doc = iframe.contentDocument;
        const field = doc?.querySelector(fieldSelector);
        if (!field || !shown(field, iframe.contentWindow) || field.textContent.trim() === '')
            return false;
        return Date.now();
    }, [FRAME, FIELD], { polling: 'raf', timeout }).then(handle => handle.jsonValue());
}

/**
 * The floor under any package in this harness: a page with cockpit.js and one spawn that
 * fills the same field, no React, no PatternFly. Timed the same way, interleaved with
 * ours, it tells what the shell costs and what our page adds on top.
 */
function writeFloorPackage() {
    const dir = fs.mkdtempSync(path.join(tmpRoot, 'floor-package-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ version: 0, tools: { index: { label: 'Floor' } } }));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!DOCTYPE html><html><head><meta charset="utf-8">' +
        '<script src="../base1/cockpit.js"></script><script defer src="index.js"></script></head>' +
        '<body><span data-field="kernel"></span></body></html>');
    fs.writeFileSync(path.join(dir, 'index.js'), `/* global cockpit, document */
cockpit.spawn(['/bin/sh', '-c', 'cat "$AI_WORKSTATION_ROOT/proc/sys/kernel/osrelease"']).then(out => {
    document.querySelector('[data-field="kernel"]').textContent = out;
});
`);
    return dir;
}

async function firstRenderRun(browser, label, distDir) {
    const cockpit = await startCockpit({ scenario: SCENARIO, workDir: fs.mkdtempSync(path.join(tmpRoot, 'render-')), ...(distDir ? { distDir } : {}) });
    const stopCockpit = track(() => cockpit.stop());
    let context = null;
    try {
        context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(`${cockpit.pageUrl}#/overview`, { waitUntil: 'commit' });
        const t1 = await waitForKernelField(page, 30000);
        // the same condition as Playwright sees it, as a check of the polling above
        const field = page.frameLocator(FRAME).locator(FIELD);
        if (!await field.isVisible() || (await field.textContent()).trim() === '')
            throw new Error('the kernel field is not visible after all');
        const ms = t1 - t0;
        log(`${label}: ${ms} ms (kernel: ${(await field.textContent()).trim()})`);
        return ms;
    } finally {
        await context?.close().catch(() => undefined);
        await stopCockpit();
    }
}

async function measureFirstRender(browser) {
    const floorDir = writeFloorPackage();
    await firstRenderRun(browser, 'warm-up (not counted)');
    await firstRenderRun(browser, 'floor warm-up (not counted)', floorDir);
    const runsMs = [];
    const floorRunsMs = [];
    for (let run = 1; run <= RUNS; run++) {
        runsMs.push(await firstRenderRun(browser, `run ${run}/${RUNS}`));
        floorRunsMs.push(await firstRenderRun(browser, `floor run ${run}/${RUNS}`, floorDir));
    }
    const medianMs = median(runsMs);
    const floorMedianMs = median(floorRunsMs);
    return {
        runsMs,
        medianMs,
        warmUpRuns: 1,
        floor: { runsMs: floorRunsMs, medianMs: floorMedianMs, what: 'a minimal package: cockpit.js and one spawn, no React or PatternFly' },
        aboveFloorMs: medianMs - floorMedianMs,
    };
}

// ---- 3. processes ----------------------------------------------------------------------

function readJsonLines(file) {
    if (!fs.existsSync(file))
        return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line));
}

/** Decode strace's argv array text: ["a", "b\n"...] (a string cut at -s ends in `"...`). */
function parseStraceArgv(text) {
    const argv = [];
    let i = text.indexOf('[') + 1;
    while (i < text.length && text[i] !== ']') {
        if (text[i] !== '"') {
            i++;
            continue;
        }
        let value = '';
        i++;
        while (i < text.length && text[i] !== '"') {
            if (text[i] === '\\') {
                const next = text[i + 1];
                const simple = { n: '\n', t: '\t', r: '\r', v: '\v', f: '\f', '\\': '\\', '"': '"' };
                if (next in simple) {
                    value += simple[next];
                    i += 2;
                } else if (next === 'x') {
                    value += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
                    i += 4;
                } else {
                    const octal = /^[0-7]{1,3}/.exec(text.slice(i + 1))[0];
                    value += String.fromCharCode(parseInt(octal, 8));
                    i += 1 + octal.length;
                }
            } else {
                value += text[i++];
            }
        }
        i++;
        const cut = text.startsWith('...', i);
        if (cut)
            i += 3;
        argv.push({ value, cut });
    }
    return argv;
}

/** Processes (not threads) seen by strace -f: parent, first execve, children. */
function parseStrace(file) {
    const procs = new Map(); // pid -> { pid, parent, exec, children: [] }
    const leader = new Map(); // tid -> pid of its process
    const pending = new Map(); // tid -> unfinished syscall text
    const proc = pid => {
        if (!procs.has(pid))
            procs.set(pid, { pid, parent: null, exec: null, children: [] });
        return procs.get(pid);
    };
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    for (const raw of text.split('\n')) {
        const match = /^(\d+)\s+(.*)$/.exec(raw); // strace pads short pids
        if (!match)
            continue;
        const tid = Number(match[1]);
        let call = match[2];
        if (call.endsWith('<unfinished ...>')) {
            pending.set(tid, call.slice(0, -'<unfinished ...>'.length));
            continue;
        }
        const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(call);
        if (resumed) {
            call = (pending.get(tid) ?? '') + resumed[1];
            pending.delete(tid);
        }
        const pid = leader.get(tid) ?? tid;
        const result = /=\s*(-?\d+)(?:\s+\S+.*)?$/.exec(call);
        if (/^(clone3?|fork|vfork)\(/.test(call) && result && Number(result[1]) > 0) {
            const child = Number(result[1]);
            if (/CLONE_THREAD/.test(call)) {
                leader.set(child, pid);
            } else {
                proc(child).parent = pid;
                proc(pid).children.push(child);
            }
        } else if (call.startsWith('execve(')) {
            const p = proc(pid);
            if (!p.exec)
                p.exec = { path: /^execve\("((?:[^"\\]|\\.)*)"/.exec(call)?.[1] ?? '', argv: parseStraceArgv(call.slice(call.indexOf('['))), ok: result?.[1] === '0' };
        }
    }
    return procs;
}

function sameArgv(straceArgv, argv) {
    if (!straceArgv || straceArgv.length !== argv.length)
        return false;
    return straceArgv.every((arg, index) => arg.cut ? argv[index].startsWith(arg.value) : argv[index] === arg.value);
}

function tree(procs, pid) {
    const all = [];
    const walk = p => {
        all.push(p);
        for (const child of p.children)
            walk(procs.get(child));
    };
    walk(procs.get(pid));
    return {
        processes: all.length,
        execs: all.filter(p => p.exec?.ok).map(p => p.exec.argv[0]?.value ?? p.exec.path),
    };
}

function shortArgv(argv) {
    return argv.map(arg => {
        const oneLine = arg.replace(/\s+/g, ' ');
        return oneLine.length > 60 ? `${oneLine.slice(0, 57)}… (${arg.length} chars)` : oneLine;
    });
}

async function measureProcesses(browser) {
    const workDir = fs.mkdtempSync(path.join(tmpRoot, 'processes-'));
    fs.mkdirSync(path.join(workDir, 'cockpit'));
    const protocolLog = path.join(workDir, 'protocol.jsonl');
    const straceFile = path.join(workDir, 'bridge.strace');
    const haveStrace = sh('sh', ['-c', 'command -v strace']) !== null;
    if (haveStrace)
        process.env.AIWS_BRIDGE_STRACE = straceFile; // read by bridge-tap.mjs, through cockpit-ws
    let cockpit;
    try {
        cockpit = await startCockpit({ scenario: SCENARIO, workDir: path.join(workDir, 'cockpit'), protocolLog });
    } finally {
        delete process.env.AIWS_BRIDGE_STRACE;
    }
    const stopCockpit = track(() => cockpit.stop());
    let context = null;
    let t0;
    try {
        context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        t0 = Date.now();
        await page.goto(`${cockpit.pageUrl}#/overview`, { waitUntil: 'commit' });
        const shown = await waitForKernelField(page, 30000);
        log(`processes: Overview shown after ${shown - t0} ms (under the tap and strace); idle until ${IDLE_WINDOW_S} s…`);
        await page.waitForTimeout(Math.max(0, t0 + IDLE_WINDOW_S * 1000 - Date.now()));
    } finally {
        await context?.close().catch(() => undefined);
        await stopCockpit();
    }
    const tEnd = t0 + IDLE_WINDOW_S * 1000;

    // (a) simulated tools
    const invocations = readJsonLines(cockpit.logPath)
            .filter(entry => Date.parse(entry.time) <= tEnd)
            .map(entry => ({ atMs: Date.parse(entry.time) - t0, tool: entry.tool, argv: entry.argv, exit: entry.exit }));

    // (b) every channel opened with a "spawn": exactly the processes the bridge starts for a page
    const control = readJsonLines(protocolLog);
    const spawnOpens = control.filter(entry => entry.dir === 'to-bridge' && entry.message.command === 'open' &&
            Array.isArray(entry.message.spawn));
    const debugSpawned = fs.existsSync(`${protocolLog}.debug`)
        ? fs.readFileSync(`${protocolLog}.debug`, 'utf8').split('\n').filter(line => / spawned: /.test(line)).length
        : null;
    const procs = haveStrace ? parseStrace(straceFile) : null;
    const bridgePid = procs && [...procs.values()].find(p => p.exec?.path.endsWith('cockpit-bridge'))?.pid;
    const bridgeChildren = bridgePid ? procs.get(bridgePid).children.map(pid => procs.get(pid)).filter(p => p.exec) : [];
    const matched = new Set();
    const spawns = spawnOpens.map(entry => {
        const m = entry.message;
        const child = bridgeChildren.find(p => !matched.has(p.pid) && sameArgv(p.exec.argv, m.spawn));
        if (child)
            matched.add(child.pid);
        return {
            atMs: entry.t - t0,
            group: m.group ?? '(shell)',
            channel: m.channel,
            argv: m.spawn,
            superuser: m.superuser ?? null,
            tree: child ? tree(procs, child.pid) : null,
        };
    }).filter(spawn => spawn.atMs <= IDLE_WINDOW_S * 1000);
    const ours = spawns.filter(spawn => spawn.group === GROUP);
    const others = {};
    for (const spawn of spawns.filter(s => s.group !== GROUP)) {
        others[spawn.group] ??= { spawns: 0, spawnsAfter5s: 0, argv: [] };
        others[spawn.group].spawns++;
        if (spawn.atMs > EARLY_S * 1000)
            others[spawn.group].spawnsAfter5s++;
        others[spawn.group].argv.push(shortArgv(spawn.argv).join(' '));
    }
    const unmatchedBridgeChildren = bridgeChildren.filter(p => !matched.has(p.pid))
            .map(p => p.exec.argv.map(arg => arg.value).join(' '));
    return {
        windowS: IDLE_WINDOW_S,
        simulatedTools: invocations.length,
        simulatedToolsAfter5s: invocations.filter(entry => entry.atMs > EARLY_S * 1000).length,
        simulatedToolDetail: invocations,
        bridgeSpawns: ours.length,
        bridgeSpawnsAfter5s: ours.filter(spawn => spawn.atMs > EARLY_S * 1000).length,
        // unknown rather than undercounted when a spawn could not be found in the strace
        processTree: haveStrace && ours.every(spawn => spawn.tree)
            ? {
                processes: ours.reduce((total, spawn) => total + (spawn.tree?.processes ?? 0), 0),
                execs: ours.reduce((total, spawn) => total + (spawn.tree?.execs.length ?? 0), 0),
                note: 'every process in the trees under the page\'s spawns (subshells and forks included), from strace -f of the bridge',
            }
            : null,
        detail: ours.map(spawn => ({
            atMs: spawn.atMs,
            channel: spawn.channel,
            argv: shortArgv(spawn.argv),
            superuser: spawn.superuser,
            treeProcesses: spawn.tree?.processes ?? null,
            treeExecs: spawn.tree?.execs ?? null,
        })),
        otherFrames: others,
        check: {
            spawnOpensAllFrames: spawnOpens.length,
            bridgeDebugSpawned: debugSpawned,
            agree: debugSpawned === spawnOpens.length,
            bridgeOwnProcesses: unmatchedBridgeChildren,
        },
    };
}

// ---- 4. tabs ---------------------------------------------------------------------------

const TAB_IDLE_S = 60;

async function measureTabs(browser) {
    const common = { browser, startCockpit, track, log };
    const deployments = await measureTab({ ...common, scenario: SCENARIO, tab: 'deployments', selector: '#deployments-table', idleS: TAB_IDLE_S });
    const gpus = await measureTab({ ...common, scenario: SCENARIO, tab: 'gpus', selector: '.aiws-gpu-card', idleS: TAB_IDLE_S });
    const scenariosDir = writeEightGpuScenarios(repoRoot, fs.mkdtempSync(path.join(tmpRoot, 'scenarios-')));
    process.env.AIWS_SIM_SCENARIOS = scenariosDir;
    let eightGpus;
    try {
        eightGpus = await measureTab({ ...common, scenario: 'bench-eight-gpus', tab: 'gpus', selector: '.aiws-gpu-card', idleS: 30, collectMeasure: 'aiws-gpu-refresh' });
    } finally {
        delete process.env.AIWS_SIM_SCENARIOS;
    }
    return { deployments, gpus, eightGpus };
}

// ---- 5. Models tab against cockpit-podman ------------------------------------------------

function measureModels(browser) {
    return measureModelsList({ browser, startCockpit, track, log, workRoot: tmpRoot, median, runs: RUNS });
}

// ---- report ----------------------------------------------------------------------------

function machineFacts(browser) {
    const cockpitWs = sh('dpkg-query', ['-W', '-f', '${Version}', 'cockpit-ws']) ?? sh('rpm', ['-q', '--qf', '%{VERSION}-%{RELEASE}', 'cockpit-ws']);
    const cpu = os.cpus()[0]?.model ?? null;
    return {
        cores: os.availableParallelism?.() ?? os.cpus().length,
        cpu,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        cockpitWs,
        chromium: browser.version(),
        node: process.version,
        os: sh('sh', ['-c', '. /etc/os-release && echo "$PRETTY_NAME"']),
    };
}

const kb = bytes => (bytes / 1000).toFixed(1);

function table(results) {
    const { sizeGzip: size, firstRender: render, processes: proc, bars } = results;
    const others = Object.entries(proc.otherFrames)
            .map(([group, o]) => `${group.replace('cockpit1:localhost/', '')} ${o.spawns} (${o.spawnsAfter5s} after 5 s)`).join(', ');
    return [
        ['metric', 'value', 'bar to beat', 'how measured'],
        ['gzipped JS + CSS', `${kb(size.totalJsCss)} KB (JS ${kb(size.js)}, CSS ${kb(size.css)})`,
            `${bars.sizeGzipKB.value} KB`, 'sum of dist/*.js.gz + dist/*.css.gz (po.* apart); KB = 1000 bytes'],
        ['gzipped translations', `${kb(size.po)} KB`, '-', 'dist/po.*.js.gz, loaded for one language only'],
        ['first render, median of 5', `${render.medianMs} ms (runs ${render.runsMs.join(', ')})`,
            `${bars.firstRenderMs.value} ms`, `page.goto(#/overview) until ${FIELD} in the package frame is shown and non-empty; fresh Cockpit + browser context each run, 1 uncounted warm-up`],
        ['floor: a minimal package, median of 5', `${render.floor.medianMs} ms (runs ${render.floor.runsMs.join(', ')})`, '-',
            'the same measurement for a page with only cockpit.js and one spawn (no React, no PatternFly), runs interleaved with ours'],
        ['our page above the floor', `${render.aboveFloorMs} ms`, '-', 'median minus floor median: what the package itself costs'],
        ['processes spawned for the page, first 60 s', `${proc.bridgeSpawns} (${proc.bridgeSpawnsAfter5s} after 5 s)` +
            (proc.processTree ? `; ${proc.processTree.processes} processes counting their forks` : ''),
        '-', `channel "open" messages with "spawn" and group ${GROUP}, seen between cockpit-ws and the bridge`],
        ['simulated host tool runs, first 60 s', `${proc.simulatedTools} (${proc.simulatedToolsAfter5s} after 5 s)`, '-', 'lines in the simulator\'s log.jsonl'],
        ['for comparison: Cockpit\'s own frames', others || 'none', '-', 'the same count for the shell\'s other (preloaded) frames'],
        ...tabRows(results.tabs),
        ...modelsRows(results.models),
        ...egressRows(results.egress),
    ];
}

/** 6.: the Node part (egress-bench.ts), then the table's render in `browser`; a failure of the latter keeps the former. */
async function measureEgress(browser) {
    const out = execFileSync(process.execPath,
        ['-r', 'ts-node/register', '-r', path.join(repoRoot, 'test/bench/cockpit-alias.js'), path.join(repoRoot, 'test/bench/egress-bench.ts')],
        { cwd: repoRoot, env: { ...process.env, TS_NODE_TRANSPILE_ONLY: '1' }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    const egress = JSON.parse(out);
    egress.render = await measureEgressRender({ browser, log, workRoot: tmpRoot, repoRoot, runs: RUNS }).catch(error => {
        log(`egress: the table's render not measured: ${error.message}`);
        return { error: error.message };
    });
    return egress;
}

function egressRows(egress) {
    if (!egress)
        return [];
    if (egress.error)
        return [['Network egress', `not measured: ${egress.error}`, '-', '-']];
    return [
        ['Network egress: parse 50,000 ss lines', `median ${egress.ssParse.medianMs} ms (runs ${egress.ssParse.runsMs.join(', ')})`, '-',
            'parseSs of the recorded workstation lines (test/fixtures/ss) repeated with other ports, in Node, 1 warm-up'],
        ['Network egress: 50,000 ss lines to connections', `median ${egress.ssSnapshotToConnections.medianMs} ms`, '-',
            'the same lines framed as ss-snapshots.sh prints them, through SsSnapshotReader and egressConnections (classes, owners, flags)'],
        ['Network egress: load 100,000 logged events', `median ${egress.journalLoad.medianMs} ms (${Math.round(egress.journalLoad.bytes / 1e6)} MB of journal JSON)`, '-',
            'parseAuditJournal + auditRows of journalctl -o json lines: a recorded kernel entry with a recorded nf_log line under our prefix'],
        ...egressRenderRows(egress.render),
    ];
}

function tabRows(tabs) {
    if (!tabs)
        return [];
    const idle = t => `${t.idleRunsPerMinute} per minute (${t.idleRuns} in ${t.idleWindowS} s${t.idleRunArgv.length ? `: ${t.idleRunArgv.join(', ')}` : ''}); ` +
        `${t.liveStreams.length} long-lived${t.liveStreams.length ? ` (${t.liveStreams.map(a => a.split(' ').slice(0, 2).join(' ')).join(', ')})` : ''}`;
    const r = tabs.eightGpus.refresh;
    return [
        ['Deployments tab: time to data', `${tabs.deployments.timeToDataMs} ms`, '-', 'page.goto(#/deployments) until #deployments-table shows, one fresh session'],
        ['Deployments tab: host processes while idle', idle(tabs.deployments), '≤ 2 per minute (issue 3)', `simulated tool runs that ended during ${TAB_IDLE_S} s idle after a 5 s settle, and the ones still running`],
        ['GPUs tab: host processes while idle', idle(tabs.gpus), '0 per minute after start (issue 4)', 'the same, on #/gpus: the live streams run, nothing is started per refresh'],
        ['GPUs tab, 8 GPUs: render of a live refresh', r.count ? `median ${r.medianMs} ms, p95 ${r.p95Ms} ms (${r.count} refreshes)` : 'no refresh measured', '-',
            'user-timing measure from a block of samples arriving (first line parsed) to the commit of its render (pkg/lib/perf.ts), scenario bench-eight-gpus, 30 s'],
    ];
}

function markdownTable(rows) {
    const line = cells => `| ${cells.map(cell => String(cell).replace(/\|/g, '\\|')).join(' | ')} |`;
    return [line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n');
}

function readme(results) {
    const m = results.machine;
    const p = results.processes;
    const detail = p.detail.map(d => `- +${d.atMs} ms \`${d.argv.join(' ')}\`` +
        (d.treeProcesses !== null ? `: ${d.treeProcesses} processes (execs: ${d.treeExecs.join(', ') || 'none'})` : '')).join('\n');
    return `# Benchmark

\`make bench\` (\`node test/bench/run-bench.mjs\`) measures the built package in a real Cockpit and
Chromium against the simulated \`${SCENARIO}\` workstation and writes \`bench/results.json\` and this file.

${markdownTable(table(results))}

Machine: ${m.cores} cores (${m.cpu}), ${m.memoryGiB} GiB, ${m.os}; cockpit-ws ${m.cockpitWs}, Chromium ${m.chromium},
Node ${m.node}. Run ${results.date}, git ${results.git}; load average ${results.loadAverage.start.join(' / ')} at the start,
${results.loadAverage.end.join(' / ')} at the end (other work on the machine slows the timings).

## How

- **Size**: the bytes of the gzipped files in \`dist/\` that Cockpit serves (it prefers the \`.gz\`). The page's
  own bundle is \`index.js.gz\` + \`index.css.gz\`; the translation files (\`po.*.js.gz\`) are counted apart.
- **First render**: for each run a fresh Cockpit (\`startCockpit\` in \`test/cockpit/cockpit-sim.mjs\`, scenario
  \`${SCENARIO}\`) and a fresh Chromium context (headless \`/usr/bin/chromium\`, one browser for all runs). t0 is taken
  just before \`page.goto(<pageUrl>#/overview)\`; t1 is the browser clock at the first animation frame in which
  \`${FRAME}\` and its \`${FIELD}\` are displayed and the field has text. Cockpit's start is not timed. One warm-up
  run first, not counted, so that every counted run finds the files in the disk cache.
- **Processes**: one more session, left open and idle on the Overview for ${IDLE_WINDOW_S} s after navigation.
  - (a) the simulator's \`<state>/log.jsonl\`: one line per simulated host tool run. It cannot see anything
    else, e.g. scripts run through \`/bin/sh\`.
  - (b) every process the bridge spawns for the page: a page can only make the bridge start a process by
    opening a channel with a \`spawn\` argv (\`cockpit.spawn\`, \`cockpit.script\`). \`startCockpit({ protocolLog })\`
    puts \`test/bench/bridge-tap.mjs\` between cockpit-ws and \`cockpit-bridge\`; it copies the stream unchanged
    and logs every control message. Cockpit's shell sets \`group\` to the frame's name on every \`open\` that
    comes from a frame (overwriting any the page gave; Cockpit 287 \`shell/index.js\`:
    \`"open"==b.command&&(b.group=h.name,…)\`), so the package's are exactly those with
    \`"group": "${GROUP}"\`. Channels of the shell itself (no group) and of the frames it preloads
    (\`cockpit1:localhost/system\`, …) are listed apart. Processes a page gets started indirectly (a D-Bus call
    that starts a unit, a request to a service's socket) are not the bridge's and not counted. Cross-check: the
    bridge's own debug log (\`G_MESSAGES_DEBUG=cockpit-protocol\`, one \`<name>: spawned: <argv0>\` line per process
    it starts for a channel, but with neither channel nor group) must count as many spawns as the tap saw for all frames:
    ${p.check.bridgeDebugSpawned} vs ${p.check.spawnOpensAllFrames} (${p.check.agree ? 'they agree' : 'THEY DIFFER'}).
  - the trees under those processes (subshells, \`$(…)\`, programs a script runs) come from \`strace -f\` of the
    bridge (\`AIWS_BRIDGE_STRACE\`); each spawn is matched to the bridge's child with the same argv. The bridge's
    own helpers (not for any page): ${p.check.bridgeOwnProcesses.map(a => `\`${a}\``).join(', ') || 'none'}.
  - The tap and strace slow the bridge a little; that session's timing is not used.

- **Tabs**: a fresh Cockpit per tab, \`page.goto(#/<tab>)\`, time until the tab's data shows; then 5 s to settle and
  ${TAB_IDLE_S} s idle, counting the simulator's host tool runs that ended in that window (log.jsonl) and the ones still
  running at its end (\`running/\`: the long-lived streams). The eight-GPU run uses \`bench-eight-gpus\`, written at
  bench time (test/bench/tab-bench.mjs): the \`healthy\` host whose nvidia-smi XML holds its recorded GPU eight times; the
  simulated nvidia-smi then streams eight lines per interval, and the page's own user-timing measures
  (\`aiws-gpu-refresh\`) are read from its frame.
${modelsHow(results.models)}
The package's spawns in the first ${IDLE_WINDOW_S} s (ms after navigation):

${detail || '- none'}
`;
}

// ---- main ------------------------------------------------------------------------------

/** `--only models`: that part alone, for working on it; bench/ is left as it is. */
async function mainOnlyModels() {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
    const closeBrowser = track(() => browser.close());
    let models;
    const loadStart = os.loadavg().map(v => v.toFixed(2));
    try {
        models = await measureModels(browser);
    } finally {
        await closeBrowser();
    }
    console.log(markdownTable([['metric', 'value', 'bar to beat', 'how measured'], ...modelsRows(models)]));
    console.log(`\n${modelsHow(models)}`);
    console.log(JSON.stringify(models, null, 2));
    console.log(`load average ${loadStart.join(' / ')} at the start, ${os.loadavg().map(v => v.toFixed(2)).join(' / ')} at the end; bench/ not written (--only)`);
}

async function main() {
    if (args.only === 'models')
        return mainOnlyModels();
    if (args.only === 'egress') {
        const file = path.join(benchDir, 'results.json');
        const results = JSON.parse(fs.readFileSync(file, 'utf8'));
        const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
        const closeBrowser = track(() => browser.close());
        try {
            results.egress = await measureEgress(browser);
        } finally {
            await closeBrowser();
        }
        results.egressDate = new Date().toISOString();
        fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
        fs.writeFileSync(path.join(benchDir, 'README.md'), readme(results));
        console.log(markdownTable([['metric', 'value', 'bar to beat', 'how measured'], ...egressRows(results.egress)]));
        return;
    }
    const startedAt = Date.now();
    const loadStart = os.loadavg().map(v => v.toFixed(2));
    const sizeGzip = measureSize();
    log(`size: JS ${sizeGzip.js} B, CSS ${sizeGzip.css} B, po ${sizeGzip.po} B`);

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: BROWSER_ARGS });
    const closeBrowser = track(() => browser.close());
    let firstRender, processes, machine, tabs, models, egress;
    try {
        machine = machineFacts(browser);
        firstRender = await measureFirstRender(browser);
        processes = await measureProcesses(browser);
        tabs = await measureTabs(browser);
        // the last part: a failure here (no podman or cockpit-podman) keeps the figures above
        models = await measureModels(browser).catch(error => {
            log(`models: not measured: ${error.message}`);
            return { error: error.message };
        });
        try {
            egress = await measureEgress(browser);
        } catch (error) {
            egress = { error: error.message };
        }
    } finally {
        await closeBrowser();
    }
    const gitHead = sh('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD']);
    const dirty = sh('git', ['-C', repoRoot, 'status', '--porcelain']) ? '+uncommitted changes' : '';
    const results = {
        date: new Date().toISOString(),
        git: `${gitHead ?? 'unknown'}${dirty ? ` ${dirty}` : ''}`,
        durationS: Math.round((Date.now() - startedAt) / 1000),
        loadAverage: { start: loadStart, end: os.loadavg().map(v => v.toFixed(2)) },
        machine,
        scenario: SCENARIO,
        sizeGzip,
        firstRender,
        processes,
        tabs,
        models,
        egress,
        bars: BARS,
    };
    fs.mkdirSync(benchDir, { recursive: true });
    fs.writeFileSync(path.join(benchDir, 'results.json'), JSON.stringify(results, null, 2) + '\n');
    fs.writeFileSync(path.join(benchDir, 'README.md'), readme(results));
    console.log(markdownTable(table(results)));
    console.log(`\n${machine.cores} cores, cockpit-ws ${machine.cockpitWs}, Chromium ${machine.chromium}, ${results.date}; ` +
        `${results.durationS} s. Written: bench/results.json, bench/README.md`);
}

try {
    await main();
    await cleanupAll();
} catch (error) {
    console.error(`bench failed: ${error.stack ?? error}`);
    await cleanupAll();
    process.exit(1);
}
