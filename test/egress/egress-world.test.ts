/**
 * @jest-environment node
 */
// The egress world (test/egress/egress-world.mjs) against the real kernel: namespaces, agents,
// the shims the Network egress tab's commands run through, and its private journal. Needs root,
// ip, nft and nsenter; skips with a message otherwise. Run with
//   npx jest --config test/browser/jest.config.js test/egress
// (the browser tests' config, which make check runs).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

interface Attempt { time: string; ok: boolean; error: string | null }
interface World {
    id: string;
    dir: string;
    shimDir: string;
    journalDir: string;
    hostsFile: string;
    resolvConf: string;
    namespaces: { ws: string; inet: string; ct: string };
    agents: Record<string, { pid: number }>;
    nfLogAllNetnsBefore: string | null;
}
interface Connection { send(line: string): Promise<string>; close(): Promise<void> }
interface EgressWorldModule {
    startEgressWorld(options: { id: string }): Promise<World>;
    stopWorld(world: World): Promise<void>;
    lastAttempts(world: World, name: string, n: number): Promise<Attempt[]>;
    inetConnect(world: World, address?: string, port?: number): Promise<Connection>;
    sweepStaleWorlds(): Promise<string[]>;
}

// jest here is CommonJS and the world is ESM: import it through node's own loader
const importEsm = vm.runInThisContext('(specifier) => import(specifier)', {
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
}) as (specifier: string) => Promise<unknown>;

function missing(): string | null {
    if (process.getuid?.() !== 0)
        return 'not root';
    for (const tool of ['ip', 'nft', 'nsenter', 'python3'])
        if (spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0)
            return `${tool} is not installed`;
    return null;
}

const skipReason = missing();
if (skipReason)
    console.warn(`egress-world tests skipped: ${skipReason} (they need root, ip, nft, nsenter and python3)`);
const describeWorld = skipReason ? describe.skip : describe;

const ID = `j${process.pid % 100000}`;
const NF_LOG_ALL_NETNS = '/proc/sys/net/netfilter/nf_log_all_netns';

function sh(cmd: string, args: string[]) {
    return spawnSync(cmd, args, { encoding: 'utf8' });
}

function running(pid: number): boolean {
    try {
        return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
    } catch {
        return false;
    }
}

/** The host's ruleset without its counters' numbers (the host's own traffic moves them). */
function hostRuleset(): string {
    const r = sh('nft', ['list', 'ruleset']);
    expect(r.status).toBe(0);
    return r.stdout.replace(/packets \d+ bytes \d+/g, 'packets N bytes N');
}

async function until<T>(what: string, get: () => Promise<T> | T, ok: (v: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await get();
        if (ok(value))
            return value;
        if (Date.now() > deadline)
            throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
        await new Promise(resolve => setTimeout(resolve, 250));
    }
}

describeWorld('egress world', () => {
    let mod: EgressWorldModule;
    let world: World | undefined;
    let rulesetBefore = '';
    let nfLogBefore = '';
    const dirs: string[] = [];

    beforeAll(async () => {
        mod = await importEsm(path.join(__dirname, 'egress-world.mjs')) as EgressWorldModule;
        rulesetBefore = hostRuleset();
        nfLogBefore = fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim();
        world = await mod.startEgressWorld({ id: ID });
        dirs.push(world.dir);
    }, 30000);

    afterAll(async () => {
        if (world)
            await mod.stopWorld(world);
        // stopWorld leaves world.dir (the journal in it stays readable); the test needs it no more
        for (const dir of dirs)
            fs.rmSync(dir, { recursive: true, force: true });
    }, 20000);

    const shim = (tool: string, ...args: string[]) => sh(path.join(world!.shimDir, tool), args);

    test('agents reach their endpoints', async () => {
        for (const name of ['chat-agent', 'update-agent', 'ctr-agent']) {
            const attempts = await until(`${name} attempts`, () => mod.lastAttempts(world!, name, 1), a => a.length === 1, 5000);
            expect(attempts[0]).toEqual({ time: expect.any(String), ok: true, error: null });
        }
    });

    test('the ss shim shows chat-agent\'s socket in the workstation', () => {
        const r = shim('ss', '-tunpH', '-e');
        expect(r.status).toBe(0);
        const lines = r.stdout.split('\n').filter(line => line.includes('"chat-agent"'));
        expect(lines.some(line => / 203\.0\.113\.10:443 /.test(line) && /uid:65534/.test(line))).toBe(true);
    });

    test('the getent shim resolves with the world\'s hosts file', () => {
        const r = shim('getent', 'hosts', '203.0.113.10');
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^203\.0\.113\.10\s+api\.openai\.com$/m);
        expect(world!.resolvConf).toBe('nameserver 203.0.113.53\n');
        expect(fs.readFileSync(`/etc/netns/${world!.namespaces.ws}/hosts`, 'utf8')).toContain('203.0.113.12 huggingface.co');
    });

    test('the conntrack and journalctl shims run', () => {
        expect(shim('conntrack', '-L').status).toBe(0);
        const r = shim('journalctl', '_TRANSPORT=kernel', '-o', 'json', '-n', '1', '-q');
        expect(r.status).toBe(0);
        expect(JSON.parse(r.stdout.trim())._TRANSPORT).toBe('kernel');
    });

    test('nft through the shim logs and rejects in the workstation only', async () => {
        for (const args of [
            ['add', 'table', 'inet', 'aiws_t'],
            ['add', 'chain', 'inet', 'aiws_t', 'o', '{ type filter hook output priority 0; }'],
            ['add', 'rule', 'inet', 'aiws_t', 'o', 'ct', 'state', 'new', 'log', 'prefix', '"aiws-egress: "', 'flags', 'skuid'],
            ['add', 'rule', 'inet', 'aiws_t', 'o', 'ip', 'daddr', '203.0.113.10', 'reject'],
        ]) {
            const r = shim('nft', ...args);
            expect({ args, status: r.status, stderr: r.stderr }).toEqual({ args, status: 0, stderr: '' });
        }
        const since = Date.now();
        const listed = shim('nft', 'list', 'ruleset');
        expect(listed.stdout).toContain('table inet aiws_t');
        expect(hostRuleset()).toBe(rulesetBefore);

        const after = (a: Attempt[]) => a.filter(x => Date.parse(x.time) > since + 100);
        const chat = await until('chat-agent fails twice', async () => after(await mod.lastAttempts(world!, 'chat-agent', 5)), a => a.length >= 2, 10000);
        expect(chat.every(a => !a.ok && typeof a.error === 'string')).toBe(true);
        const update = after(await mod.lastAttempts(world!, 'update-agent', 5));
        expect(update.length).toBeGreaterThanOrEqual(1);
        expect(update.every(a => a.ok)).toBe(true);

        const logged = await until('a logged line in the world journal', () => {
            const r = shim('journalctl', '_TRANSPORT=kernel', '--grep', '^aiws-egress', '-o', 'json', '-q');
            return r.stdout.split('\n').filter(Boolean).map(line => JSON.parse(line) as { MESSAGE: string });
        }, lines => lines.some(l => /DST=203\.0\.113\.10 .*UID=65534/.test(l.MESSAGE)), 5000);
        expect(logged.length).toBeGreaterThan(0);
    }, 20000);

    test('an inbound session from the internet echoes', async () => {
        const connection = await mod.inetConnect(world!, '198.51.100.2', 2222);
        try {
            expect(await connection.send('hello admin')).toBe('hello admin');
            expect(await connection.send('still here')).toBe('still here');
        } finally {
            await connection.close();
        }
    });

    test('stopWorld removes the world and restores the host setting', async () => {
        const w = world!;
        await mod.stopWorld(w);
        const netns = sh('ip', ['netns', 'list']).stdout;
        for (const name of Object.values(w.namespaces))
            expect(netns).not.toContain(name);
        expect(fs.existsSync(`/etc/netns/${w.namespaces.ws}`)).toBe(false);
        // gone, or a zombie until node reaps its child
        for (const agent of Object.values(w.agents))
            expect(running(agent.pid)).toBe(false);
        expect(fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim()).toBe(nfLogBefore);
        expect(hostRuleset()).toBe(rulesetBefore);
        // the journal stays readable from here after the world is gone
        const r = sh('journalctl', [`--directory=${w.journalDir}`, '_TRANSPORT=kernel', '--grep', '^aiws-egress', '-o', 'json', '-n', '1', '-q']);
        expect(r.status).toBe(0);
        await mod.stopWorld(w); // idempotent
    }, 15000);

    test('two worlds at once: the host setting goes back to what the first one found, whichever stops last', async () => {
        const first = await mod.startEgressWorld({ id: `a${process.pid % 100000}` });
        dirs.push(first.dir);
        let second: World | undefined;
        try {
            expect(fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim()).toBe('1');
            second = await mod.startEgressWorld({ id: `b${process.pid % 100000}` });
            dirs.push(second.dir);
            await mod.stopWorld(first);
            // the second world still needs it
            expect(fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim()).toBe('1');
            await mod.stopWorld(second);
            expect(fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim()).toBe(nfLogBefore);
        } finally {
            await mod.stopWorld(first);
            if (second)
                await mod.stopWorld(second);
        }
    }, 60000);

    test('sweepStaleWorlds removes a world whose owner died', async () => {
        const staleId = `s${process.pid % 100000}`;
        const child = spawn(process.execPath, [path.join(__dirname, 'egress-world.mjs'), 'up', staleId], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', chunk => { out += chunk; });
        child.stderr.on('data', chunk => { err += chunk; });
        const exited = new Promise(resolve => child.once('exit', resolve));
        try {
            await until('the CLI world', () => out, text => text.includes('\n') || child.exitCode !== null, 20000);
            expect(err).toBe('');
            const stale = JSON.parse(out) as World;
            dirs.push(stale.dir);
            child.kill('SIGKILL');
            await exited;
            expect(sh('ip', ['netns', 'list']).stdout).toContain(stale.namespaces.ws);
            expect(await mod.sweepStaleWorlds()).toContain(staleId);
            const netns = sh('ip', ['netns', 'list']).stdout;
            for (const name of Object.values(stale.namespaces))
                expect(netns).not.toContain(name);
            for (const agent of Object.values(stale.agents))
                expect(running(agent.pid)).toBe(false);
            expect(fs.readFileSync(NF_LOG_ALL_NETNS, 'utf8').trim()).toBe(nfLogBefore);
        } finally {
            child.kill('SIGKILL');
            await mod.stopWorld({ id: staleId } as World);
        }
    }, 30000);
});
