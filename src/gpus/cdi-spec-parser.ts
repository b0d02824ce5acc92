// A CDI spec for NVIDIA GPUs (`nvidia-ctk cdi generate` writes /etc/cdi/nvidia.yaml or
// /var/run/cdi/nvidia.yaml). The page needs three things from it: that it is one, the
// device names containers can ask for (nvidia.com/gpu=0, =all, =GPU-…), and which driver
// it was generated for, because the library paths it mounts carry the driver version and
// go stale with the next driver. No YAML library: nvidia-ctk writes one regular layout.
// Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { CdiSpec } from './gpu';

const TOOL = 'CDI spec';

function scalar(raw: string): string {
    const t = raw.trim();
    return /^".*"$|^'.*'$/.test(t) ? t.slice(1, -1) : t;
}

export function parseCdiSpec(path: string, text: string): CdiSpec {
    const lines = text.split('\n');
    const top = (key: string) => {
        const line = lines.find(l => l.startsWith(`${key}:`));
        return line ? scalar(line.slice(key.length + 1)) || null : null;
    };
    const cdiVersion = top('cdiVersion');
    const kind = top('kind');
    if (cdiVersion === null && kind === null)
        throw new ParseError(TOOL, `${path} has neither cdiVersion nor kind`, text);

    const devices: string[] = [];
    let inDevices = false;
    for (const line of lines) {
        if (/^[A-Za-z]/.test(line))
            inDevices = line.startsWith('devices:');
        else if (inDevices) {
            // a device's name sits at the list item's own level: "- name: x" or "  name: x"
            const match = /^(?:- | {2})name:\s*(.+)$/.exec(line);
            if (match)
                devices.push(scalar(match[1]));
        }
    }

    // the version shows in --host-driver-version=… (newer nvidia-ctk) and in the
    // versioned libraries it links or mounts (libcuda.so.575.64.03)
    const hook = /--host-driver-version=(\d+(?:\.\d+)+)/.exec(text);
    const library = /lib(?:cuda|nvidia-ml|GLX_nvidia|nvidia-glcore|nvidia-ptxjitcompiler)\.so\.(\d+\.\d+(?:\.\d+)?)\b/.exec(text);
    return { path, cdiVersion, kind, devices, driverVersion: hook?.[1] ?? library?.[1] ?? null };
}
