// Prepared simulator states for the handler tests: made ahead in parallel (each takes most
// of a second: its bin/ links every executable of the machine), taken one per test, and
// the simulated tools run in them as root or as the unprivileged viewer user.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const VIEWER = 'aiws-viewer';

export interface Prepared { state: string; env: Record<string, string>; root: string }
export interface Run { status: number | null; stdout: string; stderr: string }

const SIM = __dirname;

function prepareArgv(name: string, state: string, scenariosDir?: string): string[] {
    return [
        '--input-type=module', '-e',
        `import { prepareScenario } from ${JSON.stringify(pathToFileURL(path.join(SIM, 'prepare.mjs')).href)};
         process.stdout.write(JSON.stringify(prepareScenario(process.argv[1], process.argv[2], process.argv[3] ? { scenariosDir: process.argv[3] } : {})));`,
        name, state, ...(scenariosDir ? [scenariosDir] : []),
    ];
}

function preparedFrom(name: string, state: string, status: number | null, stdout: string, stderr: string): Prepared {
    if (status !== 0) throw new Error(`prepareScenario(${name}) failed: ${stderr}`);
    const { env } = JSON.parse(stdout);
    return { state, env, root: env.AI_WORKSTATION_ROOT };
}

export class StatePool {
    private readonly ready = new Map<string, Prepared[]>();

    /** `dir`: the folder states go in (the viewer user must be able to traverse it). */
    constructor(private readonly dir: string) {}

    private statePath(name: string): string {
        return path.join(this.dir, `${name}-${Math.random().toString(36).slice(2, 8)}`);
    }

    /** Prepare `count` states of each scenario at once; a scenario may come from another folder. */
    async fill(sizes: readonly [name: string, count: number, scenariosDir?: string][]): Promise<void> {
        await Promise.all(sizes.flatMap(([name, count, scenariosDir]) => Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
            const state = this.statePath(name);
            const child = spawn(process.execPath, prepareArgv(name, state, scenariosDir));
            let out = '';
            let err = '';
            child.stdout.on('data', (d: Buffer) => { out += d.toString() });
            child.stderr.on('data', (d: Buffer) => { err += d.toString() });
            child.on('exit', code => {
                try {
                    this.ready.set(name, [...(this.ready.get(name) ?? []), preparedFrom(name, state, code, out, err)]);
                    resolve();
                } catch (e) {
                    reject(e);
                }
            });
        }))));
    }

    /** A fresh state: one made ahead, or made now if none is left. */
    take(name: string, scenariosDir?: string): Prepared {
        const ready = this.ready.get(name)?.shift();
        if (ready) return ready;
        const state = this.statePath(name);
        const r = spawnSync(process.execPath, prepareArgv(name, state, scenariosDir), { encoding: 'utf8' });
        return preparedFrom(name, state, r.status, r.stdout, r.stderr);
    }
}

/** Run a simulated tool of the state, as root or (viewer) as the unprivileged user. */
export function runTool(p: Prepared, tool: string, args: string[], options: { viewer?: boolean, scale: string, input?: string }): Run {
    const bin = path.join(p.state, 'bin', tool);
    const [cmd, argv] = options.viewer ? ['setpriv', ['--reuid', VIEWER, '--regid', VIEWER, '--clear-groups', bin, ...args]] : [bin, args];
    const r = spawnSync(cmd as string, argv as string[], { env: { ...p.env, AIWS_SIM_TIME_SCALE: options.scale }, encoding: 'utf8', timeout: 20000, input: options.input });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
