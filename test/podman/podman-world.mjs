// The real podman the Models tab talks to in the demo and the browser tests: podman's API
// service on /run/podman/podman.sock (started here when nothing answers there, since
// these machines have no systemd to socket-activate it), configured by containers.conf
// beside this file, and the local stand-in inference server image built from
// busybox-static (no registry is reachable), and the tests' hands on podman.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const PODMAN_SOCKET = '/run/podman/podman.sock';
export const CONTAINERS_CONF = path.join(here, 'containers.conf');
export const ECHO_IMAGE = 'localhost/aiws-echo-server:latest';
const API = '/v4.0.0/libpod';

export function podmanEnv() {
    return { ...process.env, CONTAINERS_CONF };
}

export function podmanInstalled() {
    return spawnSync('sh', ['-c', 'command -v podman'], { stdio: 'ignore' }).status === 0;
}

/** One request to the API; resolves to { status, body, bytes } (never rejects on HTTP status). */
export function api(method, urlPath, body) {
    return new Promise((resolve, reject) => {
        const request = http.request({
            socketPath: PODMAN_SOCKET, method, path: urlPath.startsWith('/v') || urlPath === '/_ping' ? urlPath : `${API}${urlPath}`,
            headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
        }, response => {
            const chunks = [];
            response.on('data', chunk => chunks.push(chunk));
            response.on('end', () => {
                const bytes = Buffer.concat(chunks);
                resolve({ status: response.statusCode ?? 0, body: bytes.toString('utf8'), bytes });
            });
        });
        request.on('error', reject);
        request.setTimeout(30000, () => request.destroy(new Error(`podman API ${method} ${urlPath}: no answer in 30 s`)));
        if (body !== undefined)
            request.write(typeof body === 'string' ? body : JSON.stringify(body));
        request.end();
    });
}

async function answers() {
    try {
        return (await api('GET', '/_ping')).status === 200;
    } catch {
        return false;
    }
}

/**
 * podman's API service, answering on PODMAN_SOCKET: the one that is there, or one started
 * now (stop() ends only a service started here).
 */
export async function startPodmanService() {
    if (!podmanInstalled())
        throw new Error('podman is not installed: run "make deps"');
    if (await answers())
        return { started: false, stop: async () => undefined };
    fs.mkdirSync(path.dirname(PODMAN_SOCKET), { recursive: true });
    fs.rmSync(PODMAN_SOCKET, { force: true });
    const log = fs.openSync(path.join(fs.mkdtempSync('/tmp/aiws-podman-'), 'service.log'), 'a');
    const child = spawn('podman', ['system', 'service', '--time=0', `unix://${PODMAN_SOCKET}`],
        { env: podmanEnv(), stdio: ['ignore', log, log], detached: true });
    child.unref();
    for (let i = 0; i < 100; i++) {
        if (await answers())
            break;
        if (child.exitCode !== null)
            throw new Error(`podman system service exited with ${child.exitCode}`);
        await new Promise(resolve => setTimeout(resolve, 100));
    }
    if (!(await answers()))
        throw new Error(`podman's API service did not answer on ${PODMAN_SOCKET} within 10 s`);
    return {
        started: true,
        stop: () => new Promise(resolve => {
            if (child.exitCode !== null)
                return resolve(undefined);
            child.once('exit', () => resolve(undefined));
            child.kill('SIGTERM');
        }),
    };
}

export async function imageExists(reference) {
    return (await api('GET', `/images/${encodeURIComponent(reference)}/exists`)).status === 204;
}

/** The stand-in server image, built once from busybox-static with `podman import`. */
export async function ensureEchoImage() {
    if (await imageExists(ECHO_IMAGE))
        return;
    const built = spawnSync('sh', [path.join(here, 'echo-server/build-image.sh')], { env: podmanEnv(), encoding: 'utf8' });
    if (built.status !== 0)
        throw new Error(`building ${ECHO_IMAGE} failed: ${built.stderr}`);
}

/** Gives the stand-in image another name (the catalog's image), so the catalog entry runs it. */
export async function tagImage(source, reference) {
    const at = reference.lastIndexOf(':');
    const repo = reference.slice(0, at);
    const tag = reference.slice(at + 1);
    const answer = await api('POST', `/images/${encodeURIComponent(source)}/tag?repo=${encodeURIComponent(repo)}&tag=${encodeURIComponent(tag)}`);
    if (answer.status !== 201)
        throw new Error(`tagging ${source} as ${reference}: HTTP ${answer.status} ${answer.body}`);
}

/** Removes the name `reference` only where it names the stand-in image (never a real one). */
export async function untagImage(reference) {
    const mine = await api('GET', `/images/${encodeURIComponent(ECHO_IMAGE)}/json`);
    const theirs = await api('GET', `/images/${encodeURIComponent(reference)}/json`);
    if (mine.status !== 200 || theirs.status !== 200 || JSON.parse(mine.body).Id !== JSON.parse(theirs.body).Id)
        return;
    const at = reference.lastIndexOf(':');
    await api('POST', `/images/${encodeURIComponent(reference)}/untag?repo=${encodeURIComponent(reference.slice(0, at))}&tag=${encodeURIComponent(reference.slice(at + 1))}`);
}

/** Containers the page made (its label), by name. */
export async function managedContainers() {
    const answer = await api('GET', `/containers/json?all=true&filters=${encodeURIComponent(JSON.stringify({ label: ['ai-workstation.managed=true'] }))}`);
    return answer.status === 200 ? JSON.parse(answer.body).map(c => c.Names[0]) : [];
}

/** The page's containers whose model lies under `root` (a simulated workstation's): never another one of the machine's. */
export async function containersUnder(root) {
    const names = [];
    for (const name of await managedContainers()) {
        const answer = await api('GET', `/containers/${encodeURIComponent(name)}/json`);
        if (answer.status !== 200)
            continue;
        const mounts = JSON.parse(answer.body).Mounts ?? [];
        if (mounts.some(m => typeof m.Source === 'string' && m.Source.startsWith(`${root}/`)))
            names.push(name);
    }
    return names;
}

/** Runs a command inside a container (podman exec); resolves to its exit code and output. */
export async function execIn(name, cmd) {
    const created = await api('POST', `/containers/${encodeURIComponent(name)}/exec`,
        { Cmd: cmd, AttachStdout: true, AttachStderr: true });
    if (created.status !== 201)
        throw new Error(`exec in ${name}: HTTP ${created.status} ${created.body}`);
    const { Id } = JSON.parse(created.body);
    const started = await api('POST', `/exec/${Id}/start`, { Detach: false, Tty: false });
    const inspected = await api('GET', `/exec/${Id}/json`);
    return { exitCode: JSON.parse(inspected.body).ExitCode, output: demultiplex(started.bytes) };
}

/** stdout and stderr of a non-tty attach: frames of [stream, 0, 0, 0, length (4 bytes, big-endian), payload]. */
function demultiplex(bytes) {
    const parts = [];
    for (let at = 0; at + 8 <= bytes.length;) {
        const length = bytes.readUInt32BE(at + 4);
        parts.push(bytes.subarray(at + 8, at + 8 + length));
        at += 8 + length;
    }
    return Buffer.concat(parts).toString('utf8');
}

export async function removeContainer(name) {
    await api('DELETE', `/containers/${encodeURIComponent(name)}?force=true`);
}

/** A container that only sleeps, on podman's default network (the tests' control case). */
export async function runIdle(name, image) {
    await removeContainer(name);
    const created = await api('POST', '/containers/create', { name, image, entrypoint: ['/bin/sleep'], command: ['600'] });
    if (created.status !== 201)
        throw new Error(`creating ${name}: HTTP ${created.status} ${created.body}`);
    const started = await api('POST', `/containers/${encodeURIComponent(name)}/start`);
    if (started.status !== 204)
        throw new Error(`starting ${name}: HTTP ${started.status} ${started.body}`);
}

/** The gateway address of a podman network: this host, as its containers see it. */
export async function networkGateway(network) {
    const answer = await api('GET', `/networks/${encodeURIComponent(network)}/json`);
    if (answer.status !== 200)
        throw new Error(`network ${network}: HTTP ${answer.status} ${answer.body}`);
    return JSON.parse(answer.body).subnets[0].gateway;
}

export async function startedAt(name) {
    const answer = await api('GET', `/containers/${encodeURIComponent(name)}/json`);
    return answer.status === 200 ? JSON.parse(answer.body).State.StartedAt : null;
}

export async function stopContainer(name) {
    const answer = await api('POST', `/containers/${encodeURIComponent(name)}/stop?timeout=5`);
    if (answer.status !== 204 && answer.status !== 304)
        throw new Error(`stopping ${name}: HTTP ${answer.status} ${answer.body}`);
}
