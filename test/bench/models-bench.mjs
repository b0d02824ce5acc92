// The Models tab against Cockpit's own podman page (cockpit-podman) for `make bench`: the
// time from navigation to the container list rendered, on the same Cockpit, the same
// podman and the same containers: COUNT stand-in model servers (test/podman's echo
// server image) made through podman's libpod API with this page's labels, so both pages
// list them; and once per page the libpod requests it made (the "open" of each
// HTTP channel to podman's socket, seen by test/bench/bridge-tap.mjs).
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { freePort } from '../cockpit/cockpit-sim.mjs';
import { DEMO_MODEL, prepareModelsWorld } from '../podman/models-world.mjs';
import { ECHO_IMAGE, api, removeContainer } from '../podman/podman-world.mjs';

export const COUNT = 10;
const SCENARIO = 'healthy';
const NAME_PREFIX = 'aiws-bench-model-';
const MODEL_IN_CONTAINER = '/models/echo-tiny.gguf';
const PODMAN_PACKAGE = '/usr/share/cockpit/podman/manifest.json';
const SETTLE_MS = 5000;

/** Where each page's list is, and how one of its entries names its container. */
export const PAGES = {
    ours: {
        label: 'ours (#/models)',
        path: root => `${root.pageUrl}#/models`,
        frame: 'iframe[name="cockpit1:localhost/ai-workstation"]',
        group: 'cockpit1:localhost/ai-workstation',
        // ServersTable.tsx: one row per server, its name in data-server
        item: '#model-servers-table tbody tr[data-server]',
        nameAttribute: 'data-server',
    },
    podman: {
        label: 'cockpit-podman (/podman)',
        path: root => `${root.url}/podman`,
        frame: 'iframe[name="cockpit1:localhost/podman"]',
        group: 'cockpit1:localhost/podman',
        // cockpit-podman 67 Containers.jsx: the "Containers" card #containers-containers holds one
        // table per pod (and one for the containers in none); each container's row starts with
        // <div class="container-block"><span class="container-name">{Names}</span>…
        item: '#containers-containers .container-name',
        nameAttribute: null,
    },
};

export function cockpitPodmanInstalled() {
    return fs.existsSync(PODMAN_PACKAGE);
}

/**
 * The body of libpod's POST /containers/create in the shape src/models/container-spec.ts
 * gives it (containerCreateBody): the page's labels, no capabilities, the model bind-mounted
 * read-only, one port published on 127.0.0.1. podman's default network instead of the page's
 * private one, so the bench leaves no network or nftables table behind.
 */
function createBody(name, modelSource, hostPort) {
    return {
        name,
        image: ECHO_IMAGE,
        command: ['--model', MODEL_IN_CONTAINER, '--port', '8080'],
        env: {},
        labels: {
            'ai-workstation.managed': 'true',
            'ai-workstation.catalog': 'llama-cpp',
            'ai-workstation.model': DEMO_MODEL,
            'ai-workstation.api': 'openai',
            'ai-workstation.health-path': '/health',
            'ai-workstation.gpus': 'none',
        },
        cap_drop: ['ALL'],
        no_new_privileges: true,
        read_only_filesystem: true,
        mounts: [{ type: 'bind', source: modelSource, destination: MODEL_IN_CONTAINER, options: ['ro', 'nosuid', 'nodev'] }],
        portmappings: [{ host_ip: '127.0.0.1', host_port: hostPort, container_port: 8080, protocol: 'tcp' }],
        netns: { nsmode: 'bridge' },
        resource_limits: { memory: { limit: 256 * 2 ** 20 } },
        devices: [],
    };
}

async function createServers(root, names, log) {
    const source = path.join(root, DEMO_MODEL);
    for (const name of names) {
        await removeContainer(name); // a leftover of an interrupted run
        const created = await api('POST', '/containers/create', createBody(name, source, await freePort()));
        if (created.status !== 201)
            throw new Error(`creating ${name}: HTTP ${created.status} ${created.body}`);
        const started = await api('POST', `/containers/${encodeURIComponent(name)}/start`);
        if (started.status !== 204 && started.status !== 304)
            throw new Error(`starting ${name}: HTTP ${started.status} ${started.body}`);
    }
    for (const name of names) {
        const inspected = await api('GET', `/containers/${encodeURIComponent(name)}/json`);
        const state = inspected.status === 200 ? JSON.parse(inspected.body).State : null;
        if (!state?.Running)
            throw new Error(`${name} is not running (${state ? `${state.Status}, exit code ${state.ExitCode}` : `HTTP ${inspected.status}`})`);
    }
    const all = await api('GET', '/containers/json?all=true');
    const total = all.status === 200 ? JSON.parse(all.body).length : null;
    log(`models: ${names.length} servers running (${ECHO_IMAGE}); podman has ${total ?? '?'} containers in all`);
    return { podmanContainers: total };
}

/** Resolves to the browser's clock (ms since epoch) at the first animation frame where the
 *  page's frame is displayed and every one of `names` has a displayed entry in its list. */
function waitForNames(page, spec, names, timeout) {
    return page.waitForFunction(([frameSelector, itemSelector, nameAttribute, wanted]) => {
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
        const seen = new Set();
        for (const item of iframe.contentDocument?.querySelectorAll(itemSelector) ?? []) {
            const name = nameAttribute ? item.getAttribute(nameAttribute) : item.textContent.trim();
            if (wanted.includes(name) && shown(item, iframe.contentWindow))
                seen.add(name);
        }
        return seen.size === wanted.length ? Date.now() : false;
    }, [spec.frame, spec.item, spec.nameAttribute, names], { polling: 'raf', timeout }).then(handle => handle.jsonValue());
}

async function listRun(browser, cockpit, spec, names, log, label, settleMs = 0) {
    let context = null;
    try {
        context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
        const page = await context.newPage();
        const t0 = Date.now();
        await page.goto(spec.path(cockpit), { waitUntil: 'commit' });
        const t1 = await waitForNames(page, spec, names, 60000).catch(async error => {
            const shot = path.join(os.tmpdir(), `aiws-bench-models-${spec.group.replace(/\W+/g, '-')}.png`);
            await page.screenshot({ path: shot }).catch(() => undefined);
            throw new Error(`${spec.label}: ${error.message} (screenshot ${shot})`);
        });
        // the same condition as Playwright sees it, as a check of the polling above
        const items = page.frameLocator(spec.frame).locator(spec.item);
        const visible = await items.evaluateAll((elements, attribute) =>
            elements.map(e => attribute ? e.getAttribute(attribute) : e.textContent.trim()), spec.nameAttribute);
        if (!names.every(name => visible.includes(name)))
            throw new Error(`${spec.label}: not every container is listed after all`);
        const ms = t1 - t0;
        log(`models ${label}: ${ms} ms (${visible.length} entries listed)`);
        if (settleMs)
            await page.waitForTimeout(Math.max(0, t0 + settleMs - Date.now()));
        return { ms, t0, t1, listed: visible.length };
    } finally {
        await context?.close().catch(() => undefined);
    }
}

function readJsonLines(file) {
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map(line => JSON.parse(line)) : [];
}

/** A channel in words; the simulated root (a temporary folder) is written <root>. */
function channelKind(entry, root) {
    const m = entry.message;
    if (m.spawn)
        return `spawn ${m.spawn.map(arg => arg.replace(/\s+/g, ' ')).join(' ').slice(0, 60)}`;
    return `${m.payload ?? '(no payload)'}${m.path ? ` ${m.path.replace(root, '<root>')}` : ''}${m.name ? ` ${m.name}` : ''}`;
}

function countBy(entries, keyOf) {
    const counts = {};
    for (const entry of entries) {
        const key = keyOf(entry);
        counts[key] = (counts[key] ?? 0) + 1;
    }
    return Object.entries(counts).sort((x, y) => y[1] - x[1]).map(([key, n]) => `${n}× ${key}`);
}

/**
 * The channels a frame opened from navigation (t0) for windowMs. libpod requests are its HTTP
 * channels to podman's socket (cockpit.http opens one per request; a followed event stream is
 * one); a raw "stream" channel to the socket (cockpit-podman watches the service with one) is
 * no request and is listed apart, and so is every other channel the frame opened until listed.
 */
function libpodRequests(protocolLog, root, group, t0, t1, windowMs) {
    const opens = readJsonLines(protocolLog).filter(entry => entry.dir === 'to-bridge' && entry.message.command === 'open' &&
        entry.message.group === group && entry.t >= t0 && entry.t <= t0 + windowMs);
    const toPodman = entry => typeof entry.message.unix === 'string' && entry.message.unix.endsWith('/podman.sock');
    const isHttp = entry => /^http-stream/.test(entry.message.payload);
    const requests = opens.filter(entry => toPodman(entry) && isHttp(entry));
    const untilListed = requests.filter(entry => entry.t <= t1);
    return {
        untilListed: untilListed.length,
        inWindow: requests.length,
        windowS: windowMs / 1000,
        requests: countBy(requests, entry => `${entry.message.method ?? 'GET'} ${String(entry.message.path ?? '')
                .replace(/\?.*$/, '').replace(/\b[0-9a-f]{64}\b/g, '{id}')}`),
        streamsToSocket: opens.filter(entry => toPodman(entry) && !isHttp(entry)).length,
        otherChannelsUntilListed: countBy(opens.filter(entry => !toPodman(entry) && entry.t <= t1), entry => channelKind(entry, root)),
        // every channel the frame opened until its list was shown, ms after navigation: the critical path
        timelineUntilListed: opens.filter(entry => entry.t <= t1).map(entry => `+${entry.t - t0} ms ${toPodman(entry) && isHttp(entry)
            ? `${entry.message.method ?? 'GET'} ${String(entry.message.path).replace(/\?.*$/, '').replace(/\b[0-9a-f]{64}\b/g, '{id}')}`
            : channelKind(entry, root)}`).concat(`+${t1 - t0} ms listed`),
    };
}

/**
 * One Cockpit on the `healthy` host (its root links the machine's real podman socket), the
 * Models world prepared in its root, COUNT servers made and started; one uncounted warm-up per
 * page on a second Cockpit with the bridge tap (the libpod requests, counted there); then `runs`
 * interleaved runs per page, a fresh browser context each. The servers are removed at the end.
 */
export async function measureModelsList({ browser, startCockpit, track, log, workRoot, median, runs = 5, count = COUNT }) {
    if (!cockpitPodmanInstalled())
        throw new Error(`cockpit-podman is not installed (${PODMAN_PACKAGE}): run "make deps"`);
    const cockpit = await startCockpit({ scenario: SCENARIO, workDir: fs.mkdtempSync(path.join(workRoot, 'models-')) });
    const stopCockpit = track(() => cockpit.stop());
    const root = path.join(cockpit.stateDir, 'root');
    const world = await prepareModelsWorld(root);
    const stopWorld = track(() => world.stop());
    if (!world.podman)
        throw new Error(world.note);
    const names = Array.from({ length: count }, (_, i) => `${NAME_PREFIX}${String(i + 1).padStart(2, '0')}`);
    const removeServers = track(async () => {
        for (const name of names)
            await removeContainer(name).catch(() => undefined);
    });
    try {
        const made = await createServers(root, names, log);

        // warm-up with the tap: libpod requests per page
        const tapDir = fs.mkdtempSync(path.join(workRoot, 'models-tap-'));
        const protocolLog = path.join(tapDir, 'protocol.jsonl');
        fs.mkdirSync(path.join(tapDir, 'cockpit'));
        const tapped = await startCockpit({ scenario: SCENARIO, workDir: path.join(tapDir, 'cockpit'), protocolLog });
        const stopTapped = track(() => tapped.stop());
        const requests = {};
        try {
            for (const [key, spec] of Object.entries(PAGES)) {
                const run = await listRun(browser, tapped, spec, names, log, `${key} warm-up under the tap (not counted)`, SETTLE_MS);
                requests[key] = libpodRequests(protocolLog, path.join(tapped.stateDir, 'root'), spec.group, run.t0, run.t1, SETTLE_MS);
                log(`models ${key}: ${requests[key].untilListed} libpod requests until listed, ${requests[key].inWindow} in ${SETTLE_MS / 1000} s`);
            }
        } finally {
            await stopTapped();
        }

        const runsMs = { ours: [], podman: [] };
        for (let run = 1; run <= runs; run++) {
            for (const key of Object.keys(PAGES))
                runsMs[key].push((await listRun(browser, cockpit, PAGES[key], names, log, `${key} run ${run}/${runs}`)).ms);
        }
        const ours = median(runsMs.ours);
        const podman = median(runsMs.podman);
        return {
            servers: count,
            podmanContainers: made.podmanContainers,
            image: ECHO_IMAGE,
            cockpitPodman: cockpitPodmanVersion(),
            ours: { runsMs: runsMs.ours, medianMs: ours, selector: PAGES.ours.item, libpod: requests.ours },
            cockpitPodmanPage: { runsMs: runsMs.podman, medianMs: podman, selector: PAGES.podman.item, libpod: requests.podman },
            ratio: Math.round(ours / podman * 100) / 100,
        };
    } finally {
        await removeServers();
        await stopWorld();
        await stopCockpit();
    }
}

function cockpitPodmanVersion() {
    try {
        const text = fs.readFileSync('/var/lib/dpkg/status', 'utf8');
        return /Package: cockpit-podman\n(?:[^\n]+\n)*?Version: (\S+)/.exec(text)?.[1] ?? null;
    } catch {
        return null;
    }
}

/** The rows of bench/README.md's table. */
export function modelsRows(models) {
    if (!models)
        return [];
    if (models.error)
        return [['Models tab against cockpit-podman', `not measured: ${models.error}`, '-', 'test/bench/models-bench.mjs']];
    const requests = r => r ? `${r.untilListed} until listed, ${r.inWindow} in ${r.windowS} s` : 'not counted';
    const how = `page.goto until all ${models.servers} servers are listed (every name shown); interleaved, fresh browser context each, same Cockpit and podman (${models.podmanContainers} containers in all)`;
    return [
        [`Models tab: list of ${models.servers} servers, median of 5`, `${models.ours.medianMs} ms (runs ${models.ours.runsMs.join(', ')})`,
            'cockpit-podman\'s median (goal: not slower)', `${how}; rows \`${models.ours.selector}\``],
        [`cockpit-podman${models.cockpitPodman ? ` ${models.cockpitPodman}` : ''}: the same containers, median of 5`,
            `${models.cockpitPodmanPage.medianMs} ms (runs ${models.cockpitPodmanPage.runsMs.join(', ')})`, '-',
            `the same, on /podman; names \`${models.cockpitPodmanPage.selector}\``],
        ['Models tab / cockpit-podman', `${models.ratio}`, '≤ 1', 'ratio of the medians'],
        ['libpod requests: ours / cockpit-podman', `${requests(models.ours.libpod)} / ${requests(models.cockpitPodmanPage.libpod)}`, '-',
            'HTTP channels each frame opened to podman\'s socket in one warm-up run under the bridge tap'],
    ];
}

/** The "How" paragraph of bench/README.md. */
export function modelsHow(result) {
    const models = result?.error ? null : result;
    const detail = (name, r) => r
        ? `  - ${name}: ${r.requests.map(x => `\`${x}\``).join(', ') || 'none'}` +
            (r.streamsToSocket ? `; ${r.streamsToSocket} raw stream channel(s) to the socket (no request)` : '') +
            `; other channels until listed: ${r.otherChannelsUntilListed.map(x => `\`${x}\``).join(', ') || 'none'}`
        : `  - ${name}: not counted`;
    return `- **Models tab against cockpit-podman**: one Cockpit on \`${SCENARIO}\` (its root links the machine's
  \`/run/podman/podman.sock\`), \`prepareModelsWorld\` (test/podman/models-world.mjs) in its root, then ${models?.servers ?? COUNT}
  containers made and started through podman's libpod API: \`${ECHO_IMAGE}\` with this page's labels
  (\`ai-workstation.managed=true\`, catalog, model, api, health-path, gpus), the body shaped as
  \`src/models/container-spec.ts\` makes it (no capabilities, the model file bind-mounted read-only, one port on
  127.0.0.1; podman's default network). Both pages list the same containers: ours because of its labels,
  cockpit-podman (Debian's package, served by the same cockpit-ws at \`/podman\`, talking to the system socket as
  root) because it lists all. Each run a fresh browser context; t0 just before \`page.goto\`, t1 the browser clock at
  the first animation frame in which the page's frame is displayed and every one of the ${models?.servers ?? COUNT} names has a displayed
  entry: for ours a row \`${PAGES.ours.item}\` (the name in \`data-server\`), for cockpit-podman a
  \`${PAGES.podman.item}\` (the span its Containers card shows each container's name in, one table per pod).
  5 runs per page, interleaved (ours, cockpit-podman, ours, …). Before them one uncounted warm-up per page on a
  second Cockpit with the bridge tap, where the libpod requests are counted: every \`open\` of an HTTP channel to
  the podman socket with the frame's group (cockpit.http opens one per request; a followed event stream is one;
  ids shown as \`{id}\`), until the list is shown and in the first ${SETTLE_MS / 1000} s. A raw \`stream\` channel to the socket
  (cockpit-podman watches the service with one) is no request and is listed apart, as are the frame's other
  channels until its list is shown. The containers are removed at the end (also on failure).
${detail('ours', models?.ours.libpod)}
${detail('cockpit-podman', models?.cockpitPodmanPage.libpod)}
`;
}
