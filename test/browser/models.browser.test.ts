// The Models tab in a real Cockpit against this machine's real podman (its API service on
// /run/podman/podman.sock, test/podman): the catalog's llama.cpp server, run by the
// busybox stand-in image under the catalog's own image name, is created, answers healthy,
// replies through Try it, shows its hardening, stats and log, starts at boot through a
// Quadlet file (systemctl through the simulator), stops, starts, restarts and is deleted.
// From inside it an outbound connection is refused while a container outside its network
// reaches the same listener, and its port answers on 127.0.0.1 only. Bad input and a
// server that dies at once leave nothing behind.
import fs from 'fs';
import http from 'http';
import net from 'net';
import os from 'os';
import path from 'path';
import { parseQuadletFile, quadletKeysProblem } from '../../src/models/quadlet';
import { eventually, openSession, readInvocations, type Session } from './harness';
import { podmanWorld } from './podman-world';

type AppFrame = Session['app'];

const ECHO_IMAGE = 'localhost/aiws-echo-server:latest';
// the catalog's CPU image for llama.cpp: the stand-in answers under that name here
const LLAMA_CPU_IMAGE = 'ghcr.io/ggml-org/llama.cpp:server';
const MODEL = '/srv/models/echo-tiny.gguf';
const NAME = 'llama-test';

interface ExecResult { exitCode: number, output: string }

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}

/** The answer of GET path on address:port, or the connection's error code. */
function httpGet(address: string, port: number, urlPath: string): Promise<{ status: number, body: string } | { error: string }> {
    return new Promise(resolve => {
        const request = http.get({ host: address, port, path: urlPath, timeout: 3000 }, response => {
            let body = '';
            response.on('data', chunk => { body += chunk; });
            response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })));
        request.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    });
}

/** This machine's own non-loopback IPv4 address (its uplink): reachable from a container on podman's default network. */
function hostAddress(): string {
    const found = Object.values(os.networkInterfaces()).flat().find(a => a && a.family === 'IPv4' && !a.internal);
    if (!found)
        throw new Error('this machine has no non-loopback IPv4 address');
    return found.address;
}

async function row(app: AppFrame, name: string) {
    const locator = app.locator(`tr[data-server="${name}"]`);
    await locator.waitFor({ timeout: 30000 });
    return locator;
}

async function action(app: AppFrame, name: string, item: string) {
    const r = await row(app, name);
    await r.locator('button[aria-label="Kebab toggle"]').click();
    await app.getByRole('menuitem', { name: item, exact: true }).click();
}

async function state(app: AppFrame, name: string): Promise<string | null> {
    const r = app.locator(`tr[data-server="${name}"]`);
    return (await r.count()) ? r.getAttribute('data-state') : null;
}

async function openCreate(app: AppFrame, entryId: string) {
    await app.locator('#models-create').click();
    const dialog = app.locator('#create-server-dialog');
    await dialog.waitFor();
    await app.locator('#create-entry').selectOption(entryId);
    return dialog;
}

/** The page's containers of this test's simulated workstation (a machine may run others). */
let managed: () => Promise<string[]>;

describe('model servers under real podman', () => {
    let session: Session;
    let app: AppFrame;
    let port: number;
    let root: string;
    let outside: http.Server;
    let outsidePort: number;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy' });
        root = path.join(session.server.stateDir, 'root');
        managed = async () => (await podmanWorld<string[]>('containersUnder', root)).sort();
        await podmanWorld('tagImage', ECHO_IMAGE, LLAMA_CPU_IMAGE);
        port = await freePort();
        // the "outside world": a listener on this machine's uplink address
        outside = http.createServer((_request, response) => response.end('outside\n'));
        await new Promise<void>(resolve => outside.listen(0, '0.0.0.0', resolve));
        outsidePort = (outside.address() as net.AddressInfo).port;
        await session.open('models');
        app = session.app;
        await app.locator('#models-page').waitFor({ timeout: 30000 });
    }, 120000);

    afterAll(async () => {
        // before the session closes: where serve.mjs started podman's API service, closing stops it
        await podmanWorld('removeContainer', 'aiws-control').catch(() => undefined);
        await podmanWorld('untagImage', LLAMA_CPU_IMAGE);
        // serve.mjs removes the servers of its workstation, then the page's network and table
        await session?.close();
        await new Promise(resolve => outside?.close(resolve));
    }, 60000);

    test('creates the catalog\'s llama.cpp server, CPU only, healthy, started at boot', async () => {
        await app.locator('#models-servers-card').waitFor({ timeout: 30000 });
        const dialog = await openCreate(app, 'llama-cpp');
        // no CDI spec on this host: the dialog says so and offers CPU only
        await app.locator('#create-cdi-warning').waitFor();
        expect(await app.locator('#create-gpus-none').isChecked()).toBe(true);
        await app.locator('#create-name').fill(NAME);
        await app.locator('#create-model').fill(MODEL);
        await app.locator('#create-model').blur();
        await dialog.getByText('Found a GGUF model file.').waitFor();
        await app.locator('#create-port').fill(String(port));
        await app.locator('#create-boot').check();
        // this machine's podman is 4.3.1: the file is written, but only podman 4.4 brings Quadlet
        expect(await app.locator('#create-boot-no-quadlet').innerText()).toContain('podman 4.3.1 has no Quadlet');
        await app.locator('#create-server-submit').click();
        await dialog.waitFor({ state: 'detached', timeout: 60000 });

        const r = await row(app, NAME);
        expect(await eventually(() => state(app, NAME), s => s === 'running', 15000)).toBe('running');
        await r.getByText('Healthy').waitFor({ timeout: 20000 });
        expect(await r.locator('[data-field="endpoint"]').innerText()).toContain(`http://127.0.0.1:${port}`);
        expect(await r.locator('[data-field="gpus"]').innerText()).toContain('CPU only');
        expect(await eventually(() => r.locator('[data-field="boot"]').innerText(), t => t !== 'no', 10000)).toBe(`${NAME}.service`);
        expect(await managed()).toEqual([NAME]);

        // the Quadlet file: the same image, mount, port and hardening, only documented keys
        const file = path.join(root, 'etc/containers/systemd', `${NAME}.container`);
        const text = fs.readFileSync(file, 'utf8');
        expect(quadletKeysProblem(text)).toBeNull();
        const quadlet = parseQuadletFile(`${NAME}.container`, text);
        expect(quadlet).toMatchObject({ containerName: NAME, unitName: `${NAME}.service`, managed: true });
        expect(text).toContain(`Image=${LLAMA_CPU_IMAGE}`);
        expect(text).toContain(`PublishPort=127.0.0.1:${port}:8080`);
        expect(text).toContain(`Volume=${MODEL}:/models/echo-tiny.gguf:ro,nosuid,nodev`);
        expect(text).toMatch(/^DropCapability=ALL$/m);
        expect(text).toMatch(/^NoNewPrivileges=true$/m);
        expect(fs.existsSync(path.join(root, 'etc/containers/systemd/ai-workstation.network'))).toBe(true);
        const systemctl = readInvocations(session.server.logPath).filter(c => c.tool === 'systemctl').map(c => `${c.admin ? '#' : '$'} ${c.argv.join(' ')}`);
        expect(systemctl).toEqual(['# daemon-reload', '# enable ai-workstation-models-firewall.service']);
        // the firewall unit is enabled for boot, and the ruleset is in the kernel now
        const wants = path.join(root, 'etc/systemd/system/multi-user.target.wants/ai-workstation-models-firewall.service');
        expect(fs.readlinkSync(wants)).toBe('/etc/systemd/system/ai-workstation-models-firewall.service');
        await app.locator('#models-firewall-state[data-loaded="true"]').waitFor({ timeout: 10000 });
        await session.shot('models-created');
    }, 120000);

    test('Try it sends a prompt through the bridge and shows the reply and its speed', async () => {
        await action(app, NAME, 'Try it');
        await app.locator('#try-it-base-url').waitFor();
        expect(await app.locator('#try-it-base-url input').inputValue()).toBe(`http://127.0.0.1:${port}/v1`);
        await app.locator('#try-it-prompt').fill('Hello from the browser test');
        await app.locator('#try-it-send').click();
        const reply = app.locator('#try-it-reply');
        await reply.waitFor({ timeout: 15000 });
        expect(await reply.locator('[data-field="reply"]').innerText()).toBe('Echo: Hello from the browser test');
        expect(await reply.locator('[data-field="reply-speed"]').innerText()).toMatch(/\d+ tokens · [\d.]+ tokens\/s/);
        await session.shot('models-try-it');
        await app.locator('#try-it-modal').getByRole('button', { name: 'Close' }).last().click();
        await app.locator('#try-it-modal').waitFor({ state: 'detached' });
    }, 60000);

    test('details read the hardening back from podman, with stats and the log followed live', async () => {
        await action(app, NAME, 'Details and logs');
        const modal = app.locator('#server-details-modal');
        await modal.locator('#server-hardening').waitFor({ timeout: 15000 });
        const marks = await modal.locator('#server-hardening [data-check]').evaluateAll(
            nodes => nodes.map(n => `${n.getAttribute('data-check')}=${n.getAttribute('data-ok')}`));
        expect(marks.sort()).toEqual(['capabilities', 'loopback-only', 'memory-limit', 'model-read-only', 'no-new-privileges', 'no-outbound', 'read-only-root']
                .map(c => `${c}=true`));
        const log = modal.locator('#server-log');
        await eventually(() => log.innerText(), t => t.includes('server is listening'), 10000);
        expect(await log.innerText()).toContain(`loading model '/models/echo-tiny.gguf'`);
        await eventually(() => modal.locator('[data-field="memory"]').innerText(), t => /MiB of 16\.0 GiB/.test(t), 15000);
        expect(await modal.locator('[data-field="memory"]').innerText()).toMatch(/MiB of 16\.0 GiB/);
        // a request made now shows up in the followed log
        const answer = await httpGet('127.0.0.1', port, '/v1/models');
        expect(answer).toMatchObject({ status: 200 });
        await eventually(() => log.innerText(), t => t.includes('GET /v1/models'), 10000);
        expect(await log.innerText()).toContain('GET /v1/models');
        await session.shot('models-details');
        await modal.locator('button[aria-label="Close"]').click();
        await modal.waitFor({ state: 'detached' });
    }, 60000);

    test('from inside the server, outbound connections are refused; its port answers on 127.0.0.1 only', async () => {
        const uplink = hostAddress();
        const probe = (target: string) => ['sh', '-c', `printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 3 ${target} ${outsidePort}`];
        // a container on podman's default network reaches the listener: the network works
        await podmanWorld('runIdle', 'aiws-control', ECHO_IMAGE);
        const control = await podmanWorld<ExecResult>('execIn', 'aiws-control', probe(uplink));
        expect(control.output).toContain('outside');
        // the model server cannot: not this machine's uplink address, not its own gateway
        const gateway = await podmanWorld<string>('networkGateway', 'ai-workstation');
        for (const target of [uplink, gateway]) {
            const inside = await podmanWorld<ExecResult>('execIn', NAME, probe(target));
            expect({ target, exit: inside.exitCode }).toEqual({ target, exit: 1 });
            expect(inside.output).toMatch(/can't connect to remote host .*: (No route to host|Connection refused|Network unreachable)/);
        }
        // the refusals are nftables' own: the counters of the page's table went up
        await app.locator('#models-firewall-how').getByRole('button').click();
        expect(await eventually(async () => {
            await session.page.reload();
            const text = await app.locator('#models-firewall-state').innerText({ timeout: 30000 });
            return Number(/\((\d+) refused so far\)/.exec(text)?.[1] ?? 0);
        }, n => n >= 2, 15000)).toBeGreaterThanOrEqual(2);

        // the published port: on 127.0.0.1 yes, on the uplink address no
        expect(await httpGet('127.0.0.1', port, '/health')).toEqual({ status: 200, body: '{"status":"ok"}' });
        expect(await httpGet(uplink, port, '/health')).toHaveProperty('error');
    }, 90000);

    test('stop, start and restart change the server podman runs', async () => {
        await action(app, NAME, 'Stop');
        expect(await eventually(() => state(app, NAME), s => s === 'exited' || s === 'stopped', 20000)).toMatch(/exited|stopped/);
        expect(await httpGet('127.0.0.1', port, '/health')).toHaveProperty('error');
        await action(app, NAME, 'Start');
        expect(await eventually(() => state(app, NAME), s => s === 'running', 20000)).toBe('running');
        expect(await eventually(() => httpGet('127.0.0.1', port, '/health'), a => 'status' in a, 10000)).toMatchObject({ status: 200 });
        const before = await podmanWorld<string>('startedAt', NAME);
        await action(app, NAME, 'Restart');
        expect(await eventually(() => podmanWorld<string>('startedAt', NAME), at => at !== before, 20000)).not.toBe(before);
        expect(await eventually(() => state(app, NAME), s => s === 'running', 20000)).toBe('running');
        expect(await eventually(() => httpGet('127.0.0.1', port, '/health'), a => 'status' in a, 10000)).toMatchObject({ status: 200 });
    }, 90000);

    test('exposed on all interfaces only when asked, with a warning; then it answers on the uplink too', async () => {
        const openPort = await freePort();
        const dialog = await openCreate(app, 'llama-cpp');
        await app.locator('#create-name').fill('llama-open');
        await app.locator('#create-model').fill(MODEL);
        await app.locator('#create-port').fill(String(openPort));
        await app.locator('#create-expose').check();
        expect(await app.locator('#create-expose-warning').innerText()).toContain('the server has no authentication');
        await app.locator('#create-server-submit').click();
        await dialog.waitFor({ state: 'detached', timeout: 60000 });
        const r = await row(app, 'llama-open');
        expect(await r.locator('[data-field="endpoint"]').innerText()).toContain('all interfaces');
        expect(await eventually(() => httpGet(hostAddress(), openPort, '/health'), a => 'status' in a, 10000)).toMatchObject({ status: 200 });
        expect(await httpGet('127.0.0.1', openPort, '/health')).toMatchObject({ status: 200 });
        await r.getByText('Healthy').waitFor({ timeout: 20000 });
        await action(app, 'llama-open', 'Delete');
        await app.locator('#delete-server-dialog button[data-confirm-step]').click();
        await app.locator('tr[data-server="llama-open"]').waitFor({ state: 'detached', timeout: 20000 });
        expect(await managed()).toEqual([NAME]);
    }, 90000);

    test('bad input is refused in the dialog and creates nothing', async () => {
        // a device file behind a model-like name, a name with shell characters, a port in use
        fs.symlinkSync('/dev/null', path.join(root, 'srv/models/null.gguf'));
        const dialog = await openCreate(app, 'llama-cpp');
        await app.locator('#create-model').fill('/srv/models/null.gguf');
        await app.locator('#create-model').blur();
        await dialog.locator('#modelPath-check').waitFor();
        expect(await dialog.locator('#modelPath-check').innerText()).toMatch(/device/i);
        await app.locator('#create-model').fill('/srv/models/missing.gguf');
        await app.locator('#create-model').blur();
        await eventually(() => dialog.locator('#modelPath-check').innerText(), t => /Nothing exists/.test(t), 5000);
        await app.locator('#create-model').fill(MODEL);
        await app.locator('#create-name').fill('bad;name $(id)');
        await app.locator('#create-port').fill(String(port));
        await app.locator('#create-server-submit').click();
        expect(await dialog.locator('#name-helper').innerText()).toMatch(/letters, digits/i);
        expect(await dialog.locator('#hostPort-helper').innerText()).toContain(`already published by ${NAME}`);
        await app.locator('#create-port').fill('70000');
        expect(await dialog.locator('#hostPort-helper').innerText()).toMatch(/1.*65535/);
        await session.shot('models-bad-input');
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
        expect(await managed()).toEqual([NAME]);
    }, 60000);

    test('a server that exits at once is removed again, and its output says why', async () => {
        // the custom entry without arguments: the stand-in refuses to start without --model
        const dialog = await openCreate(app, 'custom');
        await app.locator('#create-name').fill('dies-at-once');
        await app.locator('#create-image').fill(ECHO_IMAGE);
        await app.locator('#create-model').fill(MODEL);
        await app.locator('#create-port').fill(String(await freePort()));
        await app.locator('#create-server-submit').click();
        const alert = dialog.locator('.pf-v6-c-alert.pf-m-danger');
        await alert.waitFor({ timeout: 30000 });
        const text = await alert.innerText();
        expect(text).toContain('The server exited at once (exit code 1)');
        expect(text).toContain("failed to load model ''");
        expect(text).toContain('Nothing was left behind');
        expect(await managed()).toEqual([NAME]);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        await dialog.waitFor({ state: 'detached' });
    }, 60000);

    test('an image that is not on the host and cannot be pulled: a clear error, nothing created', async () => {
        const dialog = await openCreate(app, 'custom');
        await app.locator('#create-name').fill('no-image');
        await app.locator('#create-image').fill('localhost/aiws-not-here:1');
        await app.locator('#create-model').fill(MODEL);
        await app.locator('#create-port').fill(String(await freePort()));
        await app.locator('#create-server-submit').click();
        const alert = dialog.locator('.pf-v6-c-alert.pf-m-danger');
        await alert.waitFor({ timeout: 60000 });
        const text = await alert.innerText();
        expect(text).toContain('Pulling localhost/aiws-not-here:1 failed');
        expect(text).toMatch(/registry cannot be reached|connection refused/i);
        expect(await managed()).toEqual([NAME]);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
    }, 90000);

    test('the Overview counts the servers, and follows a stop made elsewhere', async () => {
        await session.open('overview');
        const card = session.app.locator('#models-summary-card');
        const count = async (field: string) => Number(await card.locator(`[data-field="models-${field}"]`).innerText());
        await card.locator('[data-field="models-running"]').waitFor({ timeout: 30000 });
        // other model servers may run on this machine: what is checked is ours, and the change
        const running = await count('running');
        const stopped = await count('stopped');
        expect(running).toBeGreaterThanOrEqual(1);
        expect(await eventually(() => count('unhealthy'), n => n === 0, 10000)).toBe(0);
        // another admin stops the server from a shell: podman's event stream tells the card
        await podmanWorld('stopContainer', NAME);
        expect(await eventually(() => count('running'), n => n === running - 1, 20000)).toBe(running - 1);
        expect(await count('stopped')).toBe(stopped + 1);
        await session.open('models');
        await row(app, NAME);
    }, 60000);

    test('delete, confirmed: the container and its boot unit go, the model stays', async () => {
        await action(app, NAME, 'Delete');
        const dialog = app.locator('#delete-server-dialog');
        await dialog.waitFor();
        expect(await dialog.innerText()).toContain(`Its boot unit ${NAME}.service is removed too`);
        await dialog.locator('button[data-confirm-step]').click();
        await dialog.waitFor({ state: 'detached', timeout: 20000 });
        await app.locator(`tr[data-server="${NAME}"]`).waitFor({ state: 'detached', timeout: 20000 });
        expect(await managed()).toEqual([]);
        expect(fs.existsSync(path.join(root, 'etc/containers/systemd', `${NAME}.container`))).toBe(false);
        expect(fs.readFileSync(path.join(root, MODEL)).subarray(0, 4).toString('latin1')).toBe('GGUF');
        expect(session.consoleErrors.filter(e => !/favicon/.test(e))).toEqual([]);
    }, 60000);
});

describe('a host without podman, and one whose podman.socket is not running', () => {
    test('without podman the tab says so, and the Overview card too', async () => {
        const session = await openSession({ scenario: 'no-podman' });
        try {
            await session.open('models');
            const empty = session.app.locator('#models-empty');
            await empty.waitFor({ timeout: 30000 });
            expect(await empty.innerText()).toContain('podman is not installed');
            await session.open('overview');
            const card = session.app.locator('#models-summary-card');
            await card.getByText('podman is not installed, so no model servers run here.').waitFor({ timeout: 30000 });
            expect(session.consoleErrors).toEqual([]);
        } finally {
            await session.close();
        }
    }, 60000);

    test('without its API socket the tab offers to start podman.socket, and then lists the servers', async () => {
        const session = await openSession({ scenario: 'podman-socket-stopped' });
        try {
            await session.open('models');
            const empty = session.app.locator('#models-empty');
            await empty.waitFor({ timeout: 30000 });
            expect(await empty.innerText()).toContain("podman's API service is not running");
            await session.shot('models-no-socket');
            await session.app.locator('#models-start-socket').click();
            await session.app.locator('#models-servers-card').waitFor({ timeout: 30000 });
            const systemctl = readInvocations(session.server.logPath).filter(c => c.tool === 'systemctl').map(c => `${c.admin ? '#' : '$'} ${c.argv.join(' ')}`);
            expect(systemctl).toEqual(['# enable --now podman.socket']);
            expect(fs.readlinkSync(path.join(session.server.stateDir, 'root/run/podman/podman.sock'))).toBe('/run/podman/podman.sock');
            expect(session.consoleErrors).toEqual([]);
        } finally {
            await session.close();
        }
    }, 60000);
});
