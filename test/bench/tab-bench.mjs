// Tab measurements for `make bench`: how long a tab takes to show its data, and how many
// host processes it costs once open and idle (DESIGN decision 6: the page must not load
// the host it watches). The GPUs tab is also measured with eight GPUs: the time from a
// block of live samples arriving to its render being committed (user-timing measures the
// page takes, pkg/lib/perf.ts).
import fs from 'node:fs';
import path from 'node:path';

const FRAME = 'iframe[name="cockpit1:localhost/ai-workstation"]';

function readLog(logPath) {
    const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
    return text.split('\n').filter(Boolean).map(line => JSON.parse(line));
}

function liveInvocations(stateDir) {
    const dir = path.join(stateDir, 'running');
    return fs.existsSync(dir)
        ? fs.readdirSync(dir).flatMap(name => {
            try {
                const entry = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
                process.kill(entry.pid, 0);
                return [entry];
            } catch {
                return [];
            }
        })
        : [];
}

function percentile(values, p) {
    if (values.length === 0)
        return null;
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/**
 * Open one tab of a fresh Cockpit, time until `selector` shows, then stay idle for
 * `idleS` seconds. Invocations are the simulator's: finished ones from its log, live
 * ones (streams) from its running/ folder.
 */
export async function measureTab({ browser, startCockpit, track, log, scenario, tab, selector, idleS, settleS = 5, collectMeasure = null }) {
    const cockpit = await startCockpit({ scenario });
    const stop = track(() => cockpit.stop());
    let context = null;
    try {
        context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(`${cockpit.pageUrl}#/${tab}`, { waitUntil: 'commit' });
        const frame = page.frameLocator(FRAME);
        await frame.locator(selector).first().waitFor({ state: 'visible', timeout: 60000 });
        const readyMs = Date.now() - t0;
        log(`${tab} (${scenario}): data after ${readyMs} ms; idle ${idleS} s…`);
        await page.waitForTimeout(settleS * 1000);
        const before = readLog(cockpit.logPath).length;
        await page.waitForTimeout(idleS * 1000);
        const after = readLog(cockpit.logPath);
        const idleRuns = after.slice(before);
        const live = liveInvocations(cockpit.stateDir).map(entry => [entry.tool, ...entry.argv].join(' '));
        let measures = null;
        if (collectMeasure) {
            const handle = await page.locator(FRAME).elementHandle();
            const appFrame = await handle.contentFrame();
            measures = await appFrame.evaluate(name => performance.getEntriesByName(name, 'measure').map(m => m.duration), collectMeasure);
        }
        return {
            scenario,
            tab,
            timeToDataMs: readyMs,
            firstMinuteRuns: after.length,
            idleWindowS: idleS,
            idleRuns: idleRuns.length,
            idleRunsPerMinute: Math.round(idleRuns.length * 60 / idleS * 10) / 10,
            idleRunArgv: [...new Set(idleRuns.map(r => [r.tool, ...r.argv].join(' ')))],
            liveStreams: live,
            ...(measures ? {
                refresh: {
                    count: measures.length,
                    medianMs: percentile(measures, 0.5) === null ? null : Math.round(percentile(measures, 0.5) * 10) / 10,
                    p95Ms: percentile(measures, 0.95) === null ? null : Math.round(percentile(measures, 0.95) * 10) / 10,
                },
            } : {}),
        };
    } finally {
        await context?.close().catch(() => undefined);
        await stop();
    }
}

/**
 * A scenario folder for the benchmark only: every scenario of the repository plus
 * `bench-eight-gpus`, the healthy host whose nvidia-smi XML holds its one recorded GPU
 * eight times (uuid, bus id and minor number made distinct). Not a test scenario: it
 * claims nothing about a real machine, it only gives the page eight GPUs to draw.
 */
export function writeEightGpuScenarios(repoRoot, dir) {
    const source = path.join(repoRoot, 'test/sim/scenarios');
    fs.cpSync(source, dir, { recursive: true });
    const xml = fs.readFileSync(path.join(repoRoot, 'test/fixtures/nvidia-smi-xml/telegraf-rtx3060-570.xml'), 'utf8');
    const gpu = /<gpu id="[^"]*">[\s\S]*?<\/gpu>/.exec(xml)[0];
    const copies = Array.from({ length: 8 }, (_, i) => {
        const bus = (0x2d + i).toString(16).toUpperCase().padStart(2, '0');
        return gpu
                .replace(/<gpu id="[^"]*">/, `<gpu id="00000000:${bus}:00.0">`)
                .replace(/<pci_bus_id>[^<]*<\/pci_bus_id>/, `<pci_bus_id>00000000:${bus}:00.0</pci_bus_id>`)
                .replace(/<pci_bus>[^<]*<\/pci_bus>/, `<pci_bus>${bus}</pci_bus>`)
                .replace(/(<uuid>GPU-[0-9a-f-]*)[0-9a-f](<\/uuid>)/, `$1${i}$2`)
                .replace(/<minor_number>[^<]*<\/minor_number>/, `<minor_number>${i}</minor_number>`);
    });
    const eight = xml.replace(gpu, copies.join('\n\t'))
            .replace(/<attached_gpus>[^<]*<\/attached_gpus>/, '<attached_gpus>8</attached_gpus>');
    const scenario = path.join(dir, 'bench-eight-gpus');
    fs.mkdirSync(path.join(scenario, 'commands/nvidia-smi'), { recursive: true });
    fs.writeFileSync(path.join(scenario, 'commands/nvidia-smi/eight-gpus.xml'), eight);
    fs.writeFileSync(path.join(scenario, 'commands/nvidia-smi/index.json'), JSON.stringify([
        { argv: ['-q', '-x'], stdout: 'eight-gpus.xml', note: 'benchmark input: the healthy scenario\'s recorded GPU, eight times' },
    ], null, 4));
    fs.writeFileSync(path.join(scenario, 'scenario.json'), JSON.stringify({
        description: 'benchmark only: the healthy host with its recorded RTX 3060 eight times',
        extends: 'healthy',
    }, null, 4));
    return dir;
}
