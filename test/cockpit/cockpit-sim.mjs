// Starts a real Cockpit (Debian's or Fedora's cockpit-ws + cockpit-bridge) serving the
// built package against the simulated workstation. Used by `make demo`, the browser
// tests and the benchmark. Any browser is let in: cockpit-ws runs our own auth command
// for the Negotiate scheme (which Cockpit's login page tries first) and for Basic.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareScenario } from '../sim/prepare.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const PACKAGE_NAME = 'ai-workstation';
/** The unprivileged user a "viewer" session runs as: no sudo, so no administrative access. */
export const VIEWER_USER = 'aiws-viewer';

function findExecutable(candidates) {
    return candidates.find(candidate => fs.existsSync(candidate)) ?? null;
}

export function cockpitWsPath() {
    return findExecutable(['/usr/lib/cockpit/cockpit-ws', '/usr/libexec/cockpit-ws']);
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.unref();
        server.on('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address();
            server.close(() => resolve(port));
        });
    });
}

function ensureSystemBus() {
    if (fs.existsSync('/run/dbus/system_bus_socket'))
        return;
    fs.mkdirSync('/run/dbus', { recursive: true });
    execFileSync('dbus-daemon', ['--system', '--fork'], { stdio: 'ignore' });
}

function ensureViewerUser() {
    try {
        execFileSync('id', ['-u', VIEWER_USER], { stdio: 'ignore' });
    } catch {
        execFileSync('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', VIEWER_USER]);
    }
}

function connects(port) {
    return new Promise(resolve => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => {
            socket.destroy();
            resolve(true);
        });
        socket.once('error', () => {
            socket.destroy();
            resolve(false);
        });
    });
}

/** Whether something listens on address:port inside another network namespace (ss there). */
function listensIn(netns, address, port) {
    const result = spawnSync('nsenter', [`--net=${netns}`, 'ss', '-ltnH', `src ${address}:${port}`], { encoding: 'utf8' });
    return result.status === 0 && result.stdout.trim() !== '';
}

async function waitForPort(port, child, timeoutMs, netns) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        if (child.exitCode !== null)
            throw new Error(`cockpit-ws exited with status ${child.exitCode}`);
        if (netns ? listensIn(netns.path, netns.address, port) : await connects(port))
            return;
        if (Date.now() > deadline)
            throw new Error(`cockpit-ws did not listen on port ${port} within ${timeoutMs} ms`);
        await new Promise(resolve => setTimeout(resolve, 50));
    }
}

function writeSessionCommand(workDir, stateEnv, user, protocolLog) {
    const exports = Object.entries(stateEnv).map(([key, value]) => `export ${key}='${value}'`).join('\n');
    const bridge = user === 'viewer'
        ? `setpriv --reuid ${VIEWER_USER} --regid ${VIEWER_USER} --clear-groups /usr/bin/cockpit-bridge`
        : '/usr/bin/cockpit-bridge';
    // protocolLog (the benchmark): test/bench/bridge-tap.mjs sits between ws and the bridge
    // and logs every control message to that file; the bridge's own GLib protocol debug
    // output ("<name>: spawned: <argv0>" per process it starts) goes to <protocolLog>.debug.
    const drop = protocolLog
        ? `export G_MESSAGES_DEBUG=cockpit-protocol\nexec '${process.execPath}' '${path.join(repoRoot, 'test/bench/bridge-tap.mjs')}' '${protocolLog}' ${bridge} 2>>'${protocolLog}.debug'`
        : `exec ${bridge}`;
    const script = `#!/bin/sh
# cockpit-ws auth command for the simulated workstation: no credentials asked, the
# bridge runs with the scenario's PATH and root prefix.
${exports}
export XDG_DATA_HOME='${workDir}/data'
export LANG=C.UTF-8
${drop}
`;
    const file = path.join(workDir, 'session');
    fs.writeFileSync(file, script, { mode: 0o755 });
    return file;
}

function writeConfig(workDir, sessionCommand, scenario) {
    const dir = path.join(workDir, 'config', 'cockpit');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'cockpit.conf'), `[WebService]
LoginTitle = AI workstation (simulated: ${scenario})
AllowUnencrypted = true

[Negotiate]
Command = ${sessionCommand}

[Basic]
Command = ${sessionCommand}
`);
    return path.join(workDir, 'config');
}

/**
 * Start Cockpit for one scenario.
 * options: { scenario, port?, user?: 'admin' | 'viewer', distDir?, workDir?, quiet?, protocolLog?, toolOverrides?, rootFiles?, netns? }
 * toolOverrides: { tool: path } put in the session's PATH instead of the scenario's; rootFiles: { 'etc/x': text } under the root prefix.
 * netns: { path: '/run/netns/NAME', address }: cockpit-ws, and so every bridge and command of the
 * session, runs in that network namespace and listens on address there (the egress world's
 * workstation, reached by a browser in its internet namespace as a remote admin's would be).
 * protocolLog (or $AIWS_BRIDGE_PROTOCOL_LOG): a file that gets every control message between ws and
 * the bridge as JSON lines (test/bench/bridge-tap.mjs), and <protocolLog>.debug the bridge's debug log.
 * Resolves to { url, port, stateDir, logPath, workDir, stop() }.
 */
export async function startCockpit(options) {
    const scenario = options.scenario ?? 'healthy';
    const user = options.user ?? 'admin';
    const distDir = path.resolve(options.distDir ?? path.join(repoRoot, 'dist'));
    if (!fs.existsSync(path.join(distDir, 'manifest.json')))
        throw new Error(`${distDir} has no built package: run "make" first`);
    const ws = cockpitWsPath();
    if (!ws)
        throw new Error('cockpit-ws is not installed: run "make deps" (or install cockpit-ws and cockpit-bridge)');

    ensureSystemBus();
    if (user === 'viewer')
        ensureViewerUser();

    const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `aiws-cockpit-${scenario}-`));
    fs.chmodSync(workDir, 0o755);
    const stateDir = path.join(workDir, 'state');
    const prepared = prepareScenario(scenario, stateDir);
    // host tools taken from elsewhere (the egress world's shims that act in its namespaces)
    for (const [tool, target] of Object.entries(options.toolOverrides ?? {})) {
        fs.rmSync(path.join(stateDir, 'bin', tool), { force: true });
        fs.symlinkSync(target, path.join(stateDir, 'bin', tool));
    }
    // host files written for this run (the egress world's resolv.conf)
    for (const [rel, text] of Object.entries(options.rootFiles ?? {})) {
        const dest = path.join(stateDir, 'root', rel);
        fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o755 });
        fs.writeFileSync(dest, text, { mode: 0o644 });
    }

    // the package, installed as a user package of whoever the bridge runs as
    const packages = path.join(workDir, 'data', 'cockpit');
    fs.mkdirSync(packages, { recursive: true });
    fs.symlinkSync(distDir, path.join(packages, PACKAGE_NAME));

    const protocolLog = options.protocolLog ?? process.env.AIWS_BRIDGE_PROTOCOL_LOG ?? null;
    // AIWS_SIM_TIME_SCALE: tests run the simulator's transactions faster than real time
    const sessionEnv = { ...prepared.env, ...(process.env.AIWS_SIM_TIME_SCALE ? { AIWS_SIM_TIME_SCALE: process.env.AIWS_SIM_TIME_SCALE } : {}) };
    const session = writeSessionCommand(workDir, sessionEnv, user, protocolLog ? path.resolve(protocolLog) : null);
    const configDir = writeConfig(workDir, session, scenario);
    const netns = options.netns ?? null;
    // a namespace of its own has every port free
    const port = options.port ?? (netns ? 9090 : await freePort());
    const address = netns ? netns.address : '127.0.0.1';
    const wsArgv = [ws, '--no-tls', '--address', address, '--port', String(port)];
    const argv = netns ? ['nsenter', `--net=${netns.path}`, ...wsArgv] : wsArgv;

    const child = spawn(argv[0], argv.slice(1), {
        env: { ...process.env, XDG_CONFIG_DIRS: configDir },
        detached: true, // its own process group: stop() ends ws and every bridge it started
        stdio: options.quiet === false ? 'inherit' : ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', chunk => { stderr += chunk });

    try {
        await waitForPort(port, child, 10000, netns);
    } catch (error) {
        killGroup(child, 'SIGKILL');
        throw new Error(`${error.message}\n${stderr}`);
    }

    let stopped = null;
    const stop = () => {
        stopped ??= new Promise(resolve => {
            if (child.exitCode !== null || child.signalCode !== null) {
                killGroup(child, 'SIGKILL');
                resolve();
                return;
            }
            const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
            child.once('exit', () => {
                clearTimeout(timer);
                // bridges notice the closed socket and exit; make sure none stays
                killGroup(child, 'SIGKILL');
                resolve();
            });
            killGroup(child, 'SIGTERM');
        }).then(() => {
            if (!options.keepWorkDir && !options.workDir)
                fs.rmSync(workDir, { recursive: true, force: true });
        });
        return stopped;
    };

    return {
        url: `http://${address}:${port}`,
        pageUrl: `http://${address}:${port}/${PACKAGE_NAME}`,
        port,
        stateDir: prepared.stateDir,
        logPath: prepared.logPath,
        workDir,
        stderr: () => stderr,
        stop,
    };
}

function killGroup(child, signal) {
    try {
        process.kill(-child.pid, signal);
    } catch {
        // the group is already gone
    }
}
