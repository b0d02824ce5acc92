// A simulated workstation for unit tests that read a host the way the page does:
// prepare.mjs runs as its own process (it is ESM, jest here is not) and the tools run
// with the state's env only, as cockpit-bridge runs them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const PREPARE = path.join(__dirname, '../sim/prepare.mjs');

export interface SimHost {
    stateDir: string;
    env: Record<string, string>;
    /** Run a sh command line on the simulated host: its exit status and stdout. */
    sh(command: string): { status: number | null, stdout: string };
}

export function prepareSimHost(scenario: string, stateDir: string): SimHost {
    const prepared = spawnSync(process.execPath, [PREPARE, scenario, stateDir], { encoding: 'utf8' });
    if (prepared.status !== 0)
        throw new Error(`prepare ${scenario} failed (${prepared.status}): ${prepared.stderr}`);
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(stateDir, 'env'), 'utf8').split('\n').filter(Boolean)) {
        const i = line.indexOf('=');
        env[line.slice(0, i)] = line.slice(i + 1);
    }
    return {
        stateDir,
        env,
        sh(command) {
            const result = spawnSync('/bin/sh', ['-c', command], { env, encoding: 'utf8' });
            return { status: result.status, stdout: result.stdout };
        },
    };
}
