// Runs the capability probe on the host: one script, one round trip.
import { runScript } from '../../pkg/lib/run';
import { primeHostRoot } from '../../pkg/lib/host-root';
import type { HostCapabilities } from './capabilities';
import { parseProbe } from './probe-parser';
import probeScript from './probe.sh';

export async function probeHost(): Promise<HostCapabilities> {
    const output = await runScript('probe.sh', probeScript);
    const caps = parseProbe(output);
    primeHostRoot(caps.root);
    return caps;
}
