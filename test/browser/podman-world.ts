// The browser tests' hands on the real podman (test/podman/podman-world.mjs), called in a
// child node because jest here is CommonJS and that module is ESM.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const WORLD = pathToFileURL(path.join(__dirname, '../podman/podman-world.mjs')).href;

export function podmanWorld<T>(fn: string, ...args: unknown[]): Promise<T> {
    const script = `import * as world from ${JSON.stringify(WORLD)};
        const result = await world[process.argv[1]](...JSON.parse(process.argv[2]));
        process.stdout.write(JSON.stringify(result ?? null));`;
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--input-type=module', '-e', script, fn, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', chunk => { out += chunk; });
        child.stderr.on('data', chunk => { err += chunk; });
        child.on('exit', code => code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`podman-world ${fn}: ${err}`)));
    });
}
