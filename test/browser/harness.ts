// One helper that starts a fresh Cockpit for a scenario, opens Chromium on the package
// and stops both. Each test saves a screenshot of what it checked (not committed).
import { spawn, type ChildProcess } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import readline from 'readline';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Frame, type FrameLocator, type Page } from 'playwright-core';

export const repoRoot = path.resolve(__dirname, '../..');
export const screenshotDir = path.join(repoRoot, 'test/browser/screenshots');
export const PACKAGE = 'ai-workstation';
export const FRAME = `iframe[name="cockpit1:localhost/${PACKAGE}"]`;

export type SessionUser = 'admin' | 'viewer';

/** What serve.mjs says of the egress world (test/egress/egress-world.mjs) it started. */
export interface EgressWorld {
    id: string;
    dir: string;
    shimDir: string;
    journalDir: string;
    netnsPaths: { ws: string; inet: string; ct: string };
    endpoints: Record<string, string>;
    wsAddress: string;
    inetAddress: string;
    containerAddress: string;
    dnsAddress: string;
    /** The world's hosts file (getent there reads it). */
    hostsFile: string;
    sshPort: number;
}

export interface CockpitServer {
    url: string;
    pageUrl: string;
    stateDir: string;
    logPath: string;
    /** Set when the server was started with egressWorld. */
    egressWorld: EgressWorld | null;
    stop(): Promise<void>;
}

/**
 * Start `test/cockpit/serve.mjs --json` and wait for its ready line. With egressWorld, Cockpit
 * runs in the egress world's workstation namespace (and podman is left alone).
 */
export async function startServer(scenario: string, user: SessionUser = 'admin', timeScale?: number, egressWorld = false): Promise<CockpitServer> {
    const child: ChildProcess = spawn(process.execPath,
        [path.join(repoRoot, 'test/cockpit/serve.mjs'), '--json', '--port', '0', '--scenario', scenario, '--user', user,
            ...(egressWorld ? ['--egress-world', '--cockpit-in-world', '--no-podman'] : [])],
        { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...(timeScale !== undefined ? { AIWS_SIM_TIME_SCALE: String(timeScale) } : {}) } });
    let stderr = '';
    child.stderr?.on('data', chunk => { stderr += chunk });
    const ready = await new Promise<{ url: string, pageUrl: string, stateDir: string, logPath: string, egressWorld: EgressWorld | null }>((resolve, reject) => {
        const lines = readline.createInterface({ input: child.stdout! });
        lines.once('line', line => {
            try {
                resolve(JSON.parse(line));
            } catch {
                reject(new Error(`serve.mjs said: ${line}\n${stderr}`));
            }
        });
        child.once('exit', code => reject(new Error(`serve.mjs exited with ${code}: ${stderr}`)));
    });
    return {
        ...ready,
        stop: () => new Promise<void>(resolve => {
            if (child.exitCode !== null) {
                resolve();
                return;
            }
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
        }),
    };
}

export function chromiumPath(): string {
    const found = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(p => fs.existsSync(p));
    if (!found)
        throw new Error('Chromium is not installed: run "make deps"');
    return found;
}

/**
 * Chromium; with netnsPath, in that network namespace (through a wrapper: playwright talks to
 * the browser over a pipe, which crosses namespaces).
 */
export async function launchBrowser(netnsPath?: string): Promise<Browser> {
    let executablePath = chromiumPath();
    if (netnsPath) {
        const wrapper = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-chromium-')), 'chromium');
        fs.writeFileSync(wrapper, `#!/bin/sh\nexec nsenter --net=${netnsPath} ${executablePath} "$@"\n`, { mode: 0o755 });
        executablePath = wrapper;
    }
    return chromium.launch({
        executablePath,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
            '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
}

export interface Session {
    server: CockpitServer;
    browser: Browser;
    context: BrowserContext;
    page: Page;
    /** The package's own frame inside Cockpit's shell. */
    app: FrameLocator;
    /** Console errors logged so far, by the shell or the package. */
    consoleErrors: string[];
    /** Open a location of the package (e.g. "overview") through the shell's URL: /ai-workstation#/overview. */
    open(subpath?: string): Promise<void>;
    appFrame(): Promise<Frame>;
    shot(name: string): Promise<void>;
    close(): Promise<void>;
}

export interface SessionOptions {
    scenario: string;
    user?: SessionUser;
    /** Cockpit language, e.g. "de-de". */
    language?: string;
    dark?: boolean;
    /** Speed of the simulator's transactions and streams (AIWS_SIM_TIME_SCALE: 0.1 is ten times faster). */
    timeScale?: number;
    /**
     * Serve from the egress world's workstation namespace and browse from its internet
     * namespace, as a remote admin does (server.egressWorld describes the world).
     */
    egressWorld?: boolean;
}

export async function openSession(options: SessionOptions): Promise<Session> {
    const server = await startServer(options.scenario, options.user ?? 'admin', options.timeScale, options.egressWorld ?? false);
    const browser = await launchBrowser(server.egressWorld?.netnsPaths.inet);
    const context = await browser.newContext({
        viewport: { width: 1280, height: 900 },
        ...(options.language ? { locale: options.language } : {}),
        ...(options.dark ? { colorScheme: 'dark' as const } : { colorScheme: 'light' as const }),
    });
    if (options.language) {
        await context.addCookies([{ name: 'CockpitLang', value: options.language, url: server.url }]);
        await context.addInitScript(lang => window.localStorage.setItem('cockpit.lang', lang), options.language);
    }
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message: ConsoleMessage) => {
        if (message.type() === 'error')
            consoleErrors.push(`${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', error => consoleErrors.push(`uncaught: ${error.message}`));

    const session: Session = {
        server,
        browser,
        context,
        page,
        app: page.frameLocator(FRAME),
        consoleErrors,
        async open(subpath = '') {
            await page.goto(`${server.pageUrl}${subpath ? '#/' + subpath : ''}`);
            await page.locator(FRAME).waitFor({ state: 'attached', timeout: 30000 });
        },
        async appFrame() {
            const handle = await page.locator(FRAME).elementHandle();
            const frame = await handle?.contentFrame();
            if (!frame)
                throw new Error('the package frame is not there');
            return frame;
        },
        async shot(name: string) {
            fs.mkdirSync(screenshotDir, { recursive: true });
            await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
        },
        async close() {
            await browser.close().catch(() => undefined);
            await server.stop();
        },
    };
    return session;
}

/** Invocation log of the simulated tools: one JSON object per line. */
export interface ToolInvocation {
    time: string;
    tool: string;
    argv: string[];
    uid: number;
    admin: boolean;
    exit: number;
}

export function readInvocations(logPath: string): ToolInvocation[] {
    const text = fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : '';
    return text.split('\n').filter(Boolean).map(line => JSON.parse(line) as ToolInvocation);
}

/** Simulated tool invocations still running (<state>/running), e.g. the one nvidia-smi stream. */
export interface RunningInvocation {
    tool: string;
    argv: string[];
    uid: number;
    admin: boolean;
    time: string;
    pid: number;
}

export function readRunning(stateDir: string): RunningInvocation[] {
    const dir = path.join(stateDir, 'running');
    if (!fs.existsSync(dir))
        return [];
    return fs.readdirSync(dir).flatMap(name => {
        try {
            const entry = JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8')) as RunningInvocation;
            process.kill(entry.pid, 0); // a process killed with SIGKILL leaves its file behind
            return [entry];
        } catch {
            return [];
        }
    });
}

/** The simulated host's environment (PATH, root prefix, state), to run its tools as "another admin" would. */
export function simEnv(stateDir: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(stateDir, 'env'), 'utf8').split('\n').filter(Boolean)) {
        const i = line.indexOf('=');
        env[line.slice(0, i)] = line.slice(i + 1);
    }
    return env;
}

/** Reads `read` until it passes `check` or the time is up; resolves to the last value. */
export async function eventually<T>(read: () => T | Promise<T>, check: (value: T) => boolean, timeoutMs: number): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const value = await read();
        if (check(value) || Date.now() > deadline)
            return value;
        await new Promise(resolve => setTimeout(resolve, 200));
    }
}
