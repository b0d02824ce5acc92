// Root prefix for host files (DESIGN decision 8). The simulated workstation sets
// AI_WORKSTATION_ROOT in the bridge's environment; on a real host it is unset and
// every path is used as it is.
import cockpit from 'cockpit';
import { native } from './native-promise';

let rootPromise: Promise<string> | null = null;

/** Seed the prefix from a probe that already read it, saving a round trip. */
export function primeHostRoot(root: string): void {
    rootPromise = Promise.resolve(root);
}

export function hostRoot(): Promise<string> {
    if (!rootPromise) {
        rootPromise = native(cockpit.spawn(['/bin/sh', '-c', 'printf %s "${AI_WORKSTATION_ROOT-}"'], { err: 'ignore' }))
                .then(out => out.trim(), () => '');
    }
    return rootPromise;
}

/** The host path of `path`, which must be absolute. */
export async function hostPath(path: string): Promise<string> {
    if (!path.startsWith('/'))
        throw new Error(`hostPath needs an absolute path, got "${path}"`);
    return (await hostRoot()) + path;
}

/** Forget the prefix (tests). */
export function resetHostRoot(): void {
    rootPromise = null;
}
