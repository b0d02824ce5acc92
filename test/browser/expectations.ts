// What a scenario should make the page show, read from the scenario's own files so the
// tests follow the scenarios instead of repeating them.
import fs from 'fs';
import path from 'path';
import { parseOsRelease } from '../../src/system/os-release-parser';
import { repoRoot } from './harness';

export const scenarioDir = path.join(repoRoot, 'test/sim/scenarios');

export function listScenarios(): string[] {
    return fs.readdirSync(scenarioDir).filter(name => fs.existsSync(path.join(scenarioDir, name, 'scenario.json'))).sort();
}

export interface ExpectedSystem {
    prettyName: string | null;
    kernel: string | null;
    ostreeBooted: boolean;
}

function readOptional(file: string): string | null {
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

export function expectedSystem(stateDir: string): ExpectedSystem {
    const root = path.join(stateDir, 'root');
    const osRelease = readOptional(path.join(root, 'etc/os-release')) ?? readOptional(path.join(root, 'usr/lib/os-release'));
    const kernel = readOptional(path.join(root, 'proc/sys/kernel/osrelease'));
    return {
        prettyName: osRelease === null ? null : parseOsRelease(osRelease).prettyName,
        kernel: kernel === null ? null : kernel.split('\n')[0].trim(),
        ostreeBooted: fs.existsSync(path.join(root, 'run/ostree-booted')),
    };
}

/** Whether the bridge finds `tool` on its PATH (the state's bin/ is its only PATH entry). */
export function toolPresent(stateDir: string, tool: string): boolean {
    return fs.existsSync(path.join(stateDir, 'bin', tool));
}
