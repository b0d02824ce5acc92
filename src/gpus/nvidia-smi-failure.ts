// What a failing (or warning) nvidia-smi said, by its own words: every message of
// test/fixtures/nvidia-smi-errors and the infoROM warning of a working one. Pure.

export type NvidiaSmiFailure =
    /** NVML (userspace) and the loaded kernel module are different versions. */
    | { kind: 'version-mismatch', nvmlVersion: string | null }
    /** "couldn't communicate with the NVIDIA driver": no usable kernel module. */
    | { kind: 'cannot-communicate' }
    /** libnvidia-ml.so, the userspace half of the driver, is not installed. */
    | { kind: 'nvml-missing' }
    /** The module is loaded but initialised no GPU. */
    | { kind: 'no-devices' }
    | { kind: 'gpu-lost', busId: string | null }
    | { kind: 'device-handle-unknown', busId: string | null }
    | { kind: 'unknown' };

const HANDLE = /Unable to determine the device handle for GPU\s*([0-9A-Fa-f:.]+)?\s*:\s*(.*)$/m;

export function classifyNvidiaSmiFailure(text: string): NvidiaSmiFailure {
    if (/Driver\/library version mismatch/i.test(text)) {
        const version = /NVML library version:\s*(\d+(?:\.\d+)+)/.exec(text);
        return { kind: 'version-mismatch', nvmlVersion: version ? version[1] : null };
    }
    if (/couldn't communicate with the NVIDIA driver/i.test(text))
        return { kind: 'cannot-communicate' };
    if (/couldn't find libnvidia-ml\.so/i.test(text) || /libnvidia-ml\.so[^\n]*: cannot open shared object file/i.test(text))
        return { kind: 'nvml-missing' };
    const handle = HANDLE.exec(text);
    if (handle) {
        const busId = handle[1] ?? null;
        if (/GPU is lost/i.test(handle[2]))
            return { kind: 'gpu-lost', busId };
        return { kind: 'device-handle-unknown', busId };
    }
    if (/GPU is lost|fallen off the bus/i.test(text))
        return { kind: 'gpu-lost', busId: null };
    if (/^\s*No devices were found\s*$/im.test(text))
        return { kind: 'no-devices' };
    return { kind: 'unknown' };
}

/** GPUs whose infoROM nvidia-smi says is corrupted ("WARNING: infoROM is corrupted at gpu 0008:00:00.0"). */
export function corruptedInfoRoms(text: string): string[] {
    return [...text.matchAll(/infoROM is corrupted at gpu\s+([0-9A-Fa-f:.]+)/gi)].map(m => m[1]);
}

/** The lines of the tool's own message worth quoting (no table art, no blank lines). */
export function messageLines(text: string, max = 4): string[] {
    return text.split('\n')
            .map(line => line.trim())
            .filter(line => line !== '' && !/^[|+=-]/.test(line))
            .slice(0, max);
}
