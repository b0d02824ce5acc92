// The Network egress tab in the egress world (test/egress): Cockpit runs in the world's
// workstation namespace and the browser in its internet namespace, so the admin's own session
// crosses the rules the page sets. The agents there connect every 2 s and log each attempt;
// the tests read those logs to tell what the kernel let through.
import { spawnSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import vm from 'vm';
import { EGRESS_FILE, EGRESS_UNIT, NAMES_SCRIPT, NAMES_SERVICE, NAMES_TIMER } from '../../src/egress/egress-ruleset';
import { dropInPath } from '../../src/egress/unit-dropin';
import { eventually, openSession, readInvocations, type EgressWorld, type Session } from './harness';

type Agent = 'chat-agent' | 'update-agent' | 'ctr-agent';
interface Attempt { time: string; ok: boolean; error: string | null }
interface Connection { send(line: string): Promise<string>; close(): Promise<void> }
interface WorldModule { inetConnect(world: EgressWorld, address?: string, port?: number): Promise<Connection> }

const importEsm = vm.runInThisContext('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}) as (specifier: string) => Promise<unknown>;

function worldMissing(): string | null {
    if (process.getuid?.() !== 0)
        return 'not root';
    for (const tool of ['ip', 'nft', 'nsenter', 'python3', 'ss'])
        if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
            return `${tool} is not installed`;
    return null;
}

const skipReason = worldMissing();
if (skipReason)
    console.warn(`egress browser tests skipped: ${skipReason}`);
const describeWorld = skipReason ? describe.skip : describe;

function attemptsSince(world: EgressWorld, agent: Agent, since: number): Attempt[] {
    const file = path.join(world.dir, 'agents', `${agent}.jsonl`);
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return text.split('\n').filter(Boolean).map(line => JSON.parse(line) as Attempt).filter(a => Date.parse(a.time) > since);
}

/**
 * What each agent's attempts after `since` came to, once every agent has made two (the
 * first may have started before the change).
 */
async function outcomes(world: EgressWorld, since: number): Promise<Record<Agent, boolean>> {
    const agents: Agent[] = ['chat-agent', 'update-agent', 'ctr-agent'];
    await eventually(() => agents.map(a => attemptsSince(world, a, since).length), counts => counts.every(n => n >= 2), 20000);
    return Object.fromEntries(agents.map(a => {
        const attempts = attemptsSince(world, a, since).slice(1);
        if (attempts.length === 0)
            throw new Error(`${a} made no attempt`);
        return [a, attempts.every(attempt => attempt.ok)];
    })) as Record<Agent, boolean>;
}

function nftInWorld(world: EgressWorld, ...args: string[]) {
    const result = spawnSync(path.join(world.shimDir, 'nft'), args, { encoding: 'utf8' });
    if (result.status !== 0)
        throw new Error(`nft ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
}

describeWorld('Network egress in its namespace world', () => {
    let session: Session;
    let world: EgressWorld;

    beforeAll(async () => {
        session = await openSession({ scenario: 'healthy', egressWorld: true });
        world = session.server.egressWorld!;
        await session.open('egress');
    }, 60000);

    afterAll(async () => {
        await session?.close();
        if (world)
            fs.rmSync(world.dir, { recursive: true, force: true });
    });

    const card = () => session.app.locator('#egress-control-card');
    const mode = () => card().locator('[data-field="egress-mode"]');

    /**
     * Rows of the audit log logged after `since` (ms): the world's journald reads the kernel's
     * ring buffer, which still holds lines of earlier worlds.
     */
    async function logRowsSince(since: number): Promise<{ destination: string, text: string }[]> {
        return session.app.locator('#egress-log tbody tr').evaluateAll((rows, sinceUs) => rows
            .filter(row => Number(row.getAttribute('data-time-us')) >= sinceUs)
            .map(row => ({ destination: row.getAttribute('data-destination') ?? '', text: row.textContent ?? '' })), since * 1000);
    }

    async function apply() {
        const started = Date.now();
        await card().locator('#egress-apply').click();
        return started;
    }

    test('a process that reaches the fake api.openai.com is listed live with its name and the cloud-AI flag', async () => {
        const row = session.app.locator('#egress-connections tr[data-process="chat-agent"]').first();
        await row.waitFor({ timeout: 30000 });
        // the name comes from a reverse lookup a moment after the socket
        const destination = await eventually(() => row.locator('[data-field="destination"]').textContent(), text => text?.includes('api.openai.com') ?? false, 15000);
        expect(destination).toContain('api.openai.com');
        expect(await row.locator('[data-field="flag"]').textContent()).toContain('Cloud AI: OpenAI');
        expect(await session.app.locator('#egress-flagged').textContent()).toContain('OpenAI');
        await session.shot('egress-live');
    });

    test('the admin\'s own Cockpit connection is incoming, not egress: hidden until asked for', async () => {
        const cockpitRows = session.app.locator('#egress-connections tr[data-process="cockpit-ws"]');
        expect(await cockpitRows.count()).toBe(0);
        await session.app.locator('#egress-show-incoming').check();
        await cockpitRows.first().waitFor({ timeout: 10000 });
        expect(await cockpitRows.first().getAttribute('data-direction')).toBe('inbound');
        // the peer may have a name (nss-myhostname calls the default gateway "_gateway")
        expect(await cockpitRows.first().locator('[data-field="destination"]').textContent()).toMatch(/^Incoming (\S+ )?from 198\.51\.100\.1:\d+ to port 9090/);
        // and never offered for the allowlist
        expect(await card().getByRole('button', { name: 'Allow 198.51.100.1' }).count()).toBe(0);
        await session.app.locator('#egress-show-incoming').uncheck();
        expect(await cockpitRows.count()).toBe(0);
    });

    test('audit mode logs new connections to the journal; the log shows them after the page is reopened', async () => {
        await card().locator('#egress-mode-audit').check();
        const since = await apply();
        await eventually(() => mode().textContent(), text => text === 'Audit', 15000);
        expect(await mode().textContent()).toBe('Audit');
        // everyone still gets through: audit only logs
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': true, 'update-agent': true, 'ctr-agent': true });

        // conntrack's live flows: the container's traffic, which ss in this namespace cannot see
        const forwarded = session.app.locator(`#egress-flows tr[data-origin="forwarded"][data-source="${world.containerAddress}"]`).first();
        await forwarded.waitFor({ timeout: 15000 });
        const flag = await eventually(() => forwarded.locator('[data-field="flag"]').textContent(), text => text?.includes('Hugging Face') ?? false, 15000);
        expect(flag).toBe('Model hub: Hugging Face');
        expect(await session.app.locator('#egress-connections tr[data-peer="203.0.113.12"]').count()).toBe(0);
        await session.shot('egress-live-flows');

        await session.open('egress');
        await session.app.locator('#egress-log-card').waitFor({ timeout: 30000 });
        const logged = await eventually(async () => {
            const rows = await logRowsSince(since);
            if (!rows.some(row => row.destination === '203.0.113.10'))
                await session.app.locator('#egress-log-refresh').click();
            return rows;
        }, rows => rows.some(row => row.destination === '203.0.113.10'), 20000);
        const openai = logged.find(row => row.destination === '203.0.113.10');
        expect(openai?.text).toContain('api.openai.com');
        expect(openai?.text).toContain('Cloud AI: OpenAI');
        expect(openai?.text).toContain('Let through');
        expect(openai?.text).toContain('chat-agent');
        // the container's connections are forwarded, and logged too
        expect(logged.some(row => row.destination === '203.0.113.12')).toBe(true);
        await session.shot('egress-audit-log');

        // the Overview's card: the mode, and who reached flagged endpoints in the last 24 hours
        await session.open('overview');
        const summary = session.app.locator('#egress-summary-card');
        const flagged = await eventually(() => summary.locator('[data-field="egress-summary-flagged"]').textContent().catch(() => ''),
            text => (text ?? '').includes('user 65534: OpenAI'), 20000);
        expect(flagged).toMatch(/^\d+ senders reached flagged endpoints, \d+ of them cloud AI/);
        expect(flagged).toContain(`${world.containerAddress}, forwarded: Hugging Face`);
        expect(await summary.locator('[data-field="egress-summary-mode"]').textContent()).toBe('Audit');
        await session.shot('egress-overview-card');
        await session.open('egress');
        await mode().waitFor({ timeout: 30000 });
    });

    test('blocking the container makes its next connection fail while the others work; unblocking restores it', async () => {
        await card().locator('#egress-block-input').fill(world.containerAddress);
        await card().locator('#egress-block-add').click();
        let since = await apply();
        await eventually(() => card().locator('[data-field="egress-containers-blocked"]').count(), n => n > 0, 15000);
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': true, 'update-agent': true, 'ctr-agent': false });
        await session.shot('egress-container-blocked');

        await card().getByRole('button', { name: `Unblock ${world.containerAddress}` }).click();
        since = await apply();
        await eventually(() => card().locator('[data-field="egress-containers-blocked"]').count(), n => n === 0, 15000);
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': true, 'update-agent': true, 'ctr-agent': true });
    });

    test('default deny with an allowlist lets only the allowed host through; the admin\'s Cockpit and SSH sessions stay', async () => {
        const mod = await importEsm(path.join(__dirname, '../egress/egress-world.mjs')) as WorldModule;
        const ssh = await mod.inetConnect(world);
        try {
            expect(await ssh.send('before')).toBe('before');
            await card().locator('#egress-mode-enforce').check();
            await card().locator('#egress-allowlist').fill('allowed.example.net\n');
            await card().locator('#egress-apply').click();
            const dialog = session.app.locator('#egress-enforce-confirm');
            await dialog.getByRole('button', { name: 'Turn on default deny' }).click();
            const since = Date.now();
            await eventually(() => mode().textContent(), text => text === 'Default deny', 15000);
            expect(await mode().textContent()).toBe('Default deny');
            expect(await outcomes(world, since)).toEqual({ 'chat-agent': false, 'update-agent': true, 'ctr-agent': false });
            expect(await ssh.send('after')).toBe('after');
            // the page still talks to its bridge: the live table keeps moving and the log reads the journal
            const refused = await eventually(async () => {
                await session.app.locator('#egress-log-refresh').click();
                return (await logRowsSince(since)).filter(row => row.destination === '203.0.113.10' && row.text.includes('Refused'));
            }, rows => rows.length > 0, 15000);
            expect(refused.length).toBeGreaterThan(0);
            const denied = await eventually(async () => Number(await card().locator('[data-field="egress-denied"]').textContent()), n => n > 0, 15000);
            expect(denied).toBeGreaterThan(0);
            await session.shot('egress-default-deny');
        } finally {
            await ssh.close();
        }
    });

    test('the names timer\'s script refreshes the allowlist names on the host, and keeps them when nothing resolves', async () => {
        const root = path.join(session.server.stateDir, 'root');
        const script = path.join(root, NAMES_SCRIPT);
        const unitDir = path.join(root, 'etc/systemd/system');
        expect(fs.readFileSync(path.join(unitDir, NAMES_SERVICE), 'utf8')).toContain(`ExecStart=/bin/sh ${NAMES_SCRIPT}`);
        expect(fs.lstatSync(path.join(unitDir, 'timers.target.wants', NAMES_TIMER)).isSymbolicLink()).toBe(true);
        const hosts = fs.readFileSync(world.hostsFile, 'utf8');
        // what the timer's service runs, with the world's getent and nft
        const refresh = () => {
            const result = spawnSync('sh', [script, path.join(root, '/etc/cockpit-ai-workstation/egress-allowlist.conf')],
                { encoding: 'utf8', env: { ...process.env, PATH: `${world.shimDir}:${process.env.PATH}` } });
            expect(result.status).toBe(0);
            return result.stderr;
        };
        const namesSet = () => nftInWorld(world, 'list', 'set', 'inet', 'ai_workstation_egress', 'allowed_names_v4');
        try {
            // allowed.example.net moved to another address
            fs.writeFileSync(world.hostsFile, hosts.replace('203.0.113.20 allowed.example.net', '203.0.113.21 allowed.example.net'));
            refresh();
            expect(namesSet()).toContain('203.0.113.21');
            expect(namesSet()).not.toContain('203.0.113.20');
            let since = Date.now();
            expect((await outcomes(world, since))['update-agent']).toBe(false);

            // back, then the resolver knows nothing: the sets stay as they were
            fs.writeFileSync(world.hostsFile, hosts);
            refresh();
            expect(namesSet()).toContain('203.0.113.20');
            fs.writeFileSync(world.hostsFile, hosts.replace('203.0.113.20 allowed.example.net\n', ''));
            expect(refresh()).toContain('no allowlist name resolved');
            expect(namesSet()).toContain('203.0.113.20');
            since = Date.now();
            expect(await outcomes(world, since)).toEqual({ 'chat-agent': false, 'update-agent': true, 'ctr-agent': false });
        } finally {
            fs.writeFileSync(world.hostsFile, hosts);
        }
    });

    test('the ruleset file survives a simulated reboot: the boot unit loads it again', async () => {
        const root = path.join(session.server.stateDir, 'root');
        const link = path.join(root, 'etc/systemd/system/multi-user.target.wants', EGRESS_UNIT);
        expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
        const unit = fs.readFileSync(path.join(root, 'etc/systemd/system', EGRESS_UNIT), 'utf8');
        const execStart = /^ExecStart=(\S+) (.*)$/m.exec(unit);
        expect(execStart?.[2]).toBe(`-f ${EGRESS_FILE}`);

        // a reboot: the kernel forgets every rule; then systemd runs the unit's ExecStart
        nftInWorld(world, 'flush', 'ruleset');
        let since = Date.now();
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': true, 'update-agent': true, 'ctr-agent': true });
        nftInWorld(world, '-f', path.join(root, EGRESS_FILE));
        since = Date.now();
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': false, 'update-agent': true, 'ctr-agent': false });

        await session.open('egress');
        await eventually(() => mode().textContent(), text => text === 'Default deny', 20000);
        expect(await mode().textContent()).toBe('Default deny');
        expect(await card().locator('#egress-allowlist').inputValue()).toContain('allowed.example.net');
    });

    test('a service is kept off the network with a drop-in, restarted, and given it back; a unit systemd does not know is refused', async () => {
        const units = session.app.locator('#egress-units-card');
        const dropIn = path.join(session.server.stateDir, 'root', dropInPath('ollama.service'));
        const systemctl = () => readInvocations(session.server.logPath).filter(c => c.tool === 'systemctl').map(c => c.argv.join(' '));

        await units.locator('#egress-unit-input').fill('ollama');
        await units.locator('#egress-unit-block').click();
        expect(await units.locator('#egress-unit-problem').textContent()).toContain('ends in its type');

        await units.locator('#egress-unit-input').fill('nosuch.service');
        await units.locator('#egress-unit-block').click();
        const dialog = session.app.locator('#egress-unit-confirm');
        await dialog.getByRole('button', { name: 'Block and restart' }).click();
        await dialog.getByText('systemd knows no unit nosuch.service').waitFor({ timeout: 10000 });
        await dialog.getByRole('button', { name: 'Cancel' }).click();
        expect(fs.existsSync(path.join(session.server.stateDir, 'root', dropInPath('nosuch.service')))).toBe(false);

        await units.locator('#egress-unit-input').fill('ollama.service');
        await units.locator('#egress-unit-exceptions').fill('192.0.2.10');
        await units.locator('#egress-unit-block').click();
        expect(await dialog.textContent()).toContain(`only this machine and 192.0.2.10, ${world.dnsAddress}`);
        await dialog.getByRole('button', { name: 'Block and restart' }).click();
        const row = units.locator('[data-unit="ollama.service"]');
        await row.waitFor({ timeout: 10000 });
        expect(await row.locator('[data-field="unit-state"]').textContent()).toBe(`Only this machine and 192.0.2.10, ${world.dnsAddress}`);
        expect(fs.readFileSync(dropIn, 'utf8')).toContain('[Service]\nIPAddressDeny=any\nIPAddressAllow=localhost\nIPAddressAllow=192.0.2.10\n');
        expect(systemctl().slice(-2)).toEqual(['daemon-reload', 'try-restart -- ollama.service']);
        await session.shot('egress-unit-blocked');

        await units.getByRole('button', { name: 'Unblock ollama.service' }).click();
        await dialog.getByRole('button', { name: 'Unblock and restart' }).click();
        await units.locator('#egress-no-blocked-units').waitFor({ timeout: 10000 });
        expect(fs.existsSync(dropIn)).toBe(false);
        expect(systemctl().slice(-2)).toEqual(['daemon-reload', 'try-restart -- ollama.service']);
    });

    test('turning it off restores everything in one click', async () => {
        await card().locator('#egress-turn-off').click();
        const since = Date.now();
        await eventually(() => mode().textContent(), text => text === 'Off', 15000);
        expect(await mode().textContent()).toBe('Off');
        expect(await outcomes(world, since)).toEqual({ 'chat-agent': true, 'update-agent': true, 'ctr-agent': true });
        expect(session.consoleErrors).toEqual([]);
    });
});
