// Serve the built package in a real Cockpit on 127.0.0.1 against the simulated
// workstation until Ctrl-C or SIGTERM. `make demo` runs it for people; the browser
// tests and the benchmark run it with --json and read the one line it prints when ready.
//
// Where podman is installed, its API service runs for the Models tab (test/podman), with
// the stand-in server image and a model file in the scenario's root; the demo adds a
// catalog entry for that image.
//
// With --egress-world the Network egress tab acts in a world of private network namespaces
// (test/egress): its ss, conntrack, nft, getent and journalctl are shims into that world, so
// audit and default deny change nothing on this machine's own firewall. With --cockpit-in-world
// (the browser tests) Cockpit itself runs in the world's workstation namespace and listens on
// its address there (world.wsAddress), for a browser in the internet namespace: the admin's
// own session then crosses the rules it sets, as a remote admin's would.
//
//   node test/cockpit/serve.mjs [--scenario NAME] [--port N] [--user admin|viewer] [--json] [--no-podman] [--egress-world [--cockpit-in-world]]
import path from 'node:path';
import { parseArgs } from 'node:util';
import { prepareModelsWorld } from '../podman/models-world.mjs';
import { startCockpit } from './cockpit-sim.mjs';
import { listScenarios } from '../sim/prepare.mjs';

const { values } = parseArgs({
    options: {
        scenario: { type: 'string', default: process.env.SCENARIO || 'healthy' },
        port: { type: 'string', default: process.env.PORT || '9090' },
        user: { type: 'string', default: 'admin' },
        json: { type: 'boolean', default: false },
        'no-podman': { type: 'boolean', default: false },
        'egress-world': { type: 'boolean', default: false },
        'cockpit-in-world': { type: 'boolean', default: false },
    },
});

function fail(message) {
    console.error(message);
    process.exit(2);
}

const scenarios = listScenarios();
if (!scenarios.includes(values.scenario))
    fail(`Unknown scenario "${values.scenario}". Available: ${scenarios.join(', ')}`);
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535)
    fail(`The port must be a TCP port number, got "${values.port}"`);
if (values.user !== 'admin' && values.user !== 'viewer')
    fail(`--user must be admin or viewer, got "${values.user}"`);

let egress = { world: null, note: 'its nft, ss and conntrack are this machine\'s own (the private namespace world of --egress-world is not built yet): leave Audit and Default deny off here' };
const cockpitOptions = { scenario: values.scenario, port: port || undefined, user: values.user };
if (values['cockpit-in-world'] && !values['egress-world'])
    fail('--cockpit-in-world needs --egress-world');
if (values['egress-world']) {
    try {
        const { startEgressWorld, sweepStaleWorlds } = await import('../egress/egress-world.mjs');
        await sweepStaleWorlds();
        const world = await startEgressWorld({ id: Math.random().toString(36).slice(2, 8) });
        egress = { world, note: `its own network namespaces (${world.namespaces.ws}): programs there reach a fake api.openai.com and others` };
        cockpitOptions.toolOverrides = Object.fromEntries(['ss', 'conntrack', 'nft', 'getent', 'journalctl'].map(tool => [tool, path.join(world.shimDir, tool)]));
        cockpitOptions.rootFiles = { 'etc/resolv.conf': world.resolvConf };
        if (values['cockpit-in-world'])
            cockpitOptions.netns = { path: world.netnsPaths.ws, address: world.wsAddress };
    } catch (error) {
        if (values['cockpit-in-world'])
            fail(`the egress world could not start: ${error.message}`);
        egress = { world: null, note: `the egress world could not start (${error.message})` };
    }
}

async function stopEgressWorld() {
    if (!egress.world)
        return;
    const { stopWorld } = await import('../egress/egress-world.mjs');
    await stopWorld(egress.world).catch(error => console.error(`tearing down the egress world: ${error.message}`));
}

let cockpit;
try {
    cockpit = await startCockpit(cockpitOptions);
} catch (error) {
    console.error(`Could not start Cockpit: ${error.message}`);
    await stopEgressWorld();
    process.exit(1);
}

let models = { podman: false, note: 'podman left alone (--no-podman)', stop: async () => undefined };
if (!values['no-podman']) {
    try {
        models = await prepareModelsWorld(path.join(cockpit.stateDir, 'root'), { demoCatalog: !values.json });
    } catch (error) {
        // the other tabs work without it; the Models tab says what is missing
        models = { podman: false, note: `podman could not be prepared: ${error.message}`, stop: async () => undefined };
    }
}

if (values.json) {
    console.log(JSON.stringify({ url: cockpit.url, pageUrl: cockpit.pageUrl, port: cockpit.port, stateDir: cockpit.stateDir, logPath: cockpit.logPath, podman: models.podman, podmanNote: models.note, egressWorld: egress.world, egressNote: egress.note }));
} else {
    console.log(`Cockpit is serving the simulated "${values.scenario}" workstation` +
        (values.user === 'viewer' ? ' to a read-only (non-admin) session.' : '.'));
    console.log(`Open ${cockpit.pageUrl} in a browser; any browser is logged in.`);
    console.log(`Tool invocations are logged to ${cockpit.logPath}`);
    console.log(`Models tab: ${models.note}.`);
    console.log(`Network egress tab: ${egress.note}.`);
    console.log('Press Ctrl-C to stop.');
}

let stopping = false;
async function shutdown(signal) {
    if (stopping)
        return;
    stopping = true;
    if (!values.json)
        console.log(`\n${signal}: stopping Cockpit…`);
    await cockpit.stop();
    await models.stop().catch(error => console.error(`cleaning up podman: ${error.message}`));
    await stopEgressWorld();
    process.exit(0);
}
process.on('SIGINT', () => shutdown('SIGINT'));
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGHUP', () => shutdown('SIGHUP'));
// a parent that dies without signalling (a killed test runner) closes our stdin
if (values.json) {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.resume();
}
