// The typed model of the GPUs tab: what the parsers produce and the views, hooks and
// the diagnosis consume. Types only (plus tiny constant tables), so every other file of
// the area can depend on it without pulling in a parser.
//
// Conventions: every measurement is `number | null`; null means the tool reported no
// number (N/A, [N/A], "Not Supported", "Insufficient Size", a deprecated field, ...) and
// never NaN. Where the tool gave a reason instead of a value, `notes` keeps it, keyed by
// the model path ('power.draw', 'temperature.memory', ...), so a view can show why.
import type { ParseError } from '../../pkg/lib/parse-error';

export type Measurement = number | null;

/** Enabled / Disabled switches; null when the tool said N/A or the element is missing. */
export type Switch = 'enabled' | 'disabled' | null;

/** 'P0' (maximum performance) … 'P15'. */
export type PerformanceState =
    | 'P0' | 'P1' | 'P2' | 'P3' | 'P4' | 'P5' | 'P6' | 'P7'
    | 'P8' | 'P9' | 'P10' | 'P11' | 'P12' | 'P13' | 'P14' | 'P15';

/** Windows driver models; Linux reports none (N/A → null). */
export type DriverModel = 'WDDM' | 'TCC' | 'MCDM';

/** nvidia-smi's process types: Compute, Graphics, MPS and their combinations. */
export type GpuProcessType = 'C' | 'G' | 'C+G' | 'M' | 'M+C' | 'M+G' | 'M+C+G' | 'unknown';

// Clock event reasons share their suffix between the old `clocks_throttle_reason_*` and
// the new `clocks_event_reason_*` element names (and the CSV `clocks_event_reasons.*`
// fields), so the suffix is the name the model uses.
export const KNOWN_CLOCK_EVENT_REASONS = [
    'gpu_idle',
    'applications_clocks_setting',
    'sw_power_cap',
    'hw_slowdown',
    'hw_thermal_slowdown',
    'hw_power_brake_slowdown',
    'sync_boost',
    'sw_thermal_slowdown',
    'display_clocks_setting',
] as const;

export type KnownClockEventReason = typeof KNOWN_CLOCK_EVENT_REASONS[number];
/** A known reason, or the suffix of one a newer driver added. */
export type ClockEventReason = KnownClockEventReason | (string & {});

export interface MemoryUsage {
    /** MiB */
    total: Measurement;
    used: Measurement;
    free: Measurement;
    /** MiB the driver keeps for itself; older drivers do not report it. */
    reserved: Measurement;
}

export interface Bar1Usage {
    /** MiB */
    total: Measurement;
    used: Measurement;
    free: Measurement;
}

export interface Utilisation {
    /** percent */
    gpu: Measurement;
    memory: Measurement;
    encoder: Measurement;
    decoder: Measurement;
}

export interface Temperatures {
    /** °C */
    gpu: Measurement;
    memory: Measurement;
    /** gpu_temp_max_threshold: the GPU shuts down above it. */
    shutdown: Measurement;
    /** gpu_temp_slow_threshold: the GPU slows down above it. */
    slowdown: Measurement;
    /** gpu_temp_max_gpu_threshold: the maximum operating temperature. */
    maxOperating: Measurement;
    /** gpu_temp_max_mem_threshold */
    maxMemory: Measurement;
    /** gpu_target_temperature */
    target: Measurement;
    /**
     * Ada / Blackwell on newer drivers report "T.Limit" temperatures instead: `headroom` is
     * how far the GPU is below its limit and the thresholds are relative to it (negative
     * below). All null where the driver reports absolute thresholds.
     */
    tlimit: {
        headroom: Measurement;
        shutdown: Measurement;
        slowdown: Measurement;
        maxOperating: Measurement;
    };
}

export interface PowerReadings {
    /** W: the instantaneous draw where the driver has one, else the (averaged) power_draw. */
    draw: Measurement;
    /** W: average_power_draw (newer drivers). */
    drawAverage: Measurement;
    /** W: the limit set by the admin (power_limit / requested_power_limit). */
    limit: Measurement;
    defaultLimit: Measurement;
    minLimit: Measurement;
    maxLimit: Measurement;
    /** W: the limit in force (enforced_power_limit / current_power_limit). */
    enforcedLimit: Measurement;
}

export interface ClockSet {
    /** MHz */
    graphics: Measurement;
    sm: Measurement;
    memory: Measurement;
    video: Measurement;
}

export interface Clocks extends ClockSet {
    max: ClockSet;
}

export interface EccCounts {
    /** Correctable (single-bit) errors: the total, or the sum of SRAM and DRAM counts. */
    singleBit: Measurement;
    /** Uncorrectable (double-bit) errors. */
    doubleBit: Measurement;
}

export interface RetiredPages {
    singleBit: Measurement;
    doubleBit: Measurement;
    /** Pages waiting for a reboot to be retired; null when not reported. */
    pending: boolean | null;
}

export interface RemappedRows {
    correctable: Measurement;
    uncorrectable: Measurement;
    /** A remap waits for a GPU reset. */
    pending: boolean | null;
    /** Remapping failed: the GPU needs service. */
    failure: boolean | null;
}

export interface Ecc {
    current: Switch;
    pending: Switch;
    volatile: EccCounts;
    aggregate: EccCounts;
    /** null where the GPU does not report page retirement (all N/A). */
    retiredPages: RetiredPages | null;
    /** null where the GPU does not report row remapping (pre-Ampere: N/A). */
    remappedRows: RemappedRows | null;
}

export interface MigDevice {
    /** Position in nvidia-smi's list. */
    index: number;
    gpuInstanceId: number | null;
    computeInstanceId: number | null;
    /** e.g. '3g.40gb'; `-q -x` does not report it, `-L` does. */
    profile: string | null;
    /** 'MIG-…'; `-L` reports it, `-q -x` does not. */
    uuid: string | null;
    multiprocessorCount: Measurement;
    memory: MemoryUsage;
}

export interface Mig {
    current: Switch;
    pending: Switch;
    devices: MigDevice[];
}

export interface GpuProcess {
    pid: number;
    type: GpuProcessType;
    /** nvidia-smi's own type text, for types the model does not know. */
    typeRaw: string;
    name: string;
    /** null on WDDM, where the driver cannot attribute memory to a process. */
    usedMemoryMiB: Measurement;
    /** MIG instance the process runs in; null without MIG. */
    gpuInstanceId: number | null;
    computeInstanceId: number | null;
}

export interface Gpu {
    /** Order in the XML, which is nvidia-smi's index. */
    index: number;
    name: string;
    brand: string | null;
    architecture: string | null;
    uuid: string;
    /** Normalised: lower case, 4-digit domain: '0000:01:00.0' (lspci's form). */
    pciBusId: string;
    /** As nvidia-smi wrote it: '00000000:01:00.0'. */
    pciBusIdRaw: string;
    /** 'DEVICE VENDOR' as nvidia-smi writes it: '20B210DE'. */
    pciDeviceId: string | null;
    pcie: {
        genCurrent: Measurement;
        genMax: Measurement;
        /** lanes */
        widthCurrent: Measurement;
        widthMax: Measurement;
    };
    serial: string | null;
    vbios: string | null;
    minorNumber: number | null;
    driverModel: { current: DriverModel | null, pending: DriverModel | null };
    persistenceMode: boolean | null;
    computeMode: string | null;
    /** gpu_virtualization_mode/virtualization_mode: 'None', 'Pass-Through', 'VGPU', 'Host VGPU', ... */
    virtualizationMode: string | null;
    memory: MemoryUsage;
    bar1: Bar1Usage;
    utilisation: Utilisation;
    temperature: Temperatures;
    power: PowerReadings;
    clocks: Clocks;
    /** percent */
    fanSpeed: Measurement;
    performanceState: PerformanceState | null;
    /** Active clock event (throttle) reasons; empty when clocks run unhindered. */
    clockEventReasons: ClockEventReason[];
    ecc: Ecc;
    mig: Mig;
    processes: GpuProcess[];
    /** Why a field is null, where the tool gave a reason: 'power.draw' → 'Not Supported'. */
    notes: Record<string, string>;
}

export interface GpuInventory {
    /** nvidia-smi's own timestamp text: 'Thu Aug  6 01:03:40 2026'. */
    timestamp: string | null;
    driverVersion: string | null;
    cudaVersion: string | null;
    /** What nvidia-smi counted; may exceed `gpus.length` when it could not read some. */
    attachedGpus: number | null;
    gpus: Gpu[];
}

// ---- live stream (--query-gpu … -lms) ----

export interface LiveSample {
    index: number;
    uuid: string;
    /** Normalised like Gpu.pciBusId. */
    busId: string;
    /** nvidia-smi's timestamp text: '2026/07/14 09:00:44.742'. */
    time: string;
    /** percent */
    utilGpu: Measurement;
    utilMem: Measurement;
    /** MiB */
    memTotal: Measurement;
    memUsed: Measurement;
    memFree: Measurement;
    /** °C */
    temperature: Measurement;
    /** W */
    powerDraw: Measurement;
    powerLimit: Measurement;
    /** MHz */
    clockSm: Measurement;
    clockMem: Measurement;
    /** percent */
    fanSpeed: Measurement;
    pstate: PerformanceState | null;
}

/** parseLiveLine never throws: a bad line in the stream is a value, not an exception. */
export type LiveLineResult =
    | { ok: true, sample: LiveSample }
    | { ok: false, error: ParseError };

// ---- compute apps and -L ----

export interface ComputeApp {
    pid: number;
    processName: string;
    /** null on WDDM or when not reported */
    usedMemoryMiB: Measurement;
    gpuUuid: string;
    /** Normalised like Gpu.pciBusId; null when the query did not ask for it. */
    gpuBusId: string | null;
}

export interface ListedMigDevice {
    /** 'Device  0' → 0 */
    index: number;
    profile: string;
    uuid: string;
}

export interface ListedGpu {
    index: number;
    name: string;
    uuid: string;
    migDevices: ListedMigDevice[];
}

// ---- lspci -Dnnk ----

/** The driver a GPU is bound to; other drivers keep their name. */
export type KernelDriver = 'nvidia' | 'nouveau' | 'nova_core' | 'nova_drm' | 'vfio-pci' | (string & {});

export interface PciGpu {
    /** 'dddd:bb:dd.f', lower case */
    address: string;
    /** '0300' VGA, '0302' 3D, '0380' display */
    classCode: string;
    className: string;
    /** e.g. 'TU104 [GeForce RTX 2080 SUPER]' */
    name: string;
    vendorId: string;
    deviceId: string;
    revision: string | null;
    subsystem: { name: string, vendorId: string, deviceId: string } | null;
    /** null: no driver bound */
    driverInUse: KernelDriver | null;
    kernelModules: string[];
}

// ---- driver facts ----

export type KernelModuleFlavour = 'open' | 'proprietary';

/** /proc/driver/nvidia/version */
export interface NvidiaProcVersion {
    flavour: KernelModuleFlavour;
    version: string;
    /** 'x86_64', 'aarch64' */
    arch: string | null;
    /** The rest of the NVRM line: build host and date. */
    build: string | null;
    /** The GCC version line, e.g. 'gcc version 14.2.1 20250110 (Red Hat 14.2.1-7) (GCC)'. */
    gcc: string | null;
}

/** `modinfo nvidia`, or what single-field `modinfo -F` calls gave. */
export interface ModInfo {
    filename: string | null;
    version: string | null;
    license: string | null;
    /** 'open' for "Dual MIT/GPL", 'proprietary' for "NVIDIA"; null when unknown. */
    flavour: KernelModuleFlavour | null;
    vermagic: string | null;
    /** The kernel release at the start of vermagic: '6.14.5-300.fc42.x86_64'. */
    vermagicKernel: string | null;
    signer: string | null;
    sigKey: string | null;
    sigHashAlgo: string | null;
    sigId: string | null;
    srcversion: string | null;
    /** Every field as it came, repeated keys joined by newlines (alias, parm, firmware, ...). */
    fields: Record<string, string>;
}

export type SecureBootState = 'enabled' | 'disabled' | 'no-efi' | 'unsupported';

export interface EnrolledKey {
    subject: string | null;
    /** CN of the subject, the name modinfo's `signer` matches. */
    subjectCn: string | null;
    issuerCn: string | null;
    /** lower case, colon-free hex */
    sha1Fingerprint: string | null;
    serial: string | null;
}

export interface TaintFlag {
    bit: number;
    /** The letter the kernel prints in "Tainted: P O E" */
    letter: string;
    name: string;
}

export interface Taint {
    value: number;
    flags: TaintFlag[];
}

export interface NouveauBlacklist {
    /** A modprobe.d `blacklist nouveau` line. */
    modprobe: boolean;
    /** `options nouveau modeset=0` */
    modesetOff: boolean;
    /** rd.driver.blacklist=nouveau or modprobe.blacklist=nouveau on the kernel command line. */
    kernelArgs: boolean;
    /** nouveau.modeset=0 on the kernel command line. */
    kernelModesetOff: boolean;
    /** Where each finding came from: file paths, 'cmdline'. */
    sources: string[];
}

export interface CdiSpec {
    path: string;
    cdiVersion: string | null;
    kind: string | null;
    /** Device names: '0', 'GPU-…', 'all' */
    devices: string[];
    /** The driver version in the host library paths it mounts (libcuda.so.<v>, libnvidia-ml.so.<v>). */
    driverVersion: string | null;
}

export type NvidiaSmiOutcome =
    /** `text`: what it printed (warnings such as an infoROM one come with exit 0). */
    | { kind: 'ok', driverVersion: string | null, text?: string }
    | { kind: 'failed', exit: number, text: string }
    | { kind: 'missing' }
    | { kind: 'timeout' };

/** What the remedies may name about the host's deployments (the Deployments area knows more). */
export interface DeploymentsHint {
    tool: 'rpm-ostree' | 'bootc';
    /** A deployment waits for the next boot. */
    stagedVersion: string | null;
    /** What `rpm-ostree rollback` / `bootc rollback` would return to. */
    rollbackVersion: string | null;
    /** rpm-ostree refuses to roll back while a deployment is staged: `cleanup -p` first. */
    rollbackNeedsCleanup: boolean;
}

export interface ModuleFacts {
    /** /sys/module/nvidia/version: the loaded module; null when not loaded. */
    loadedVersion: string | null;
    procVersion: NvidiaProcVersion | null;
    /** The module file for the running kernel; null when modinfo found none. */
    modinfo: ModInfo | null;
    /** modinfo's own words when it found no nvidia module for the running kernel. */
    modinfoError: string | null;
    /** Which of the GPU drivers the kernel has loaded now (/sys/module). */
    loadedModules: string[];
}

export interface DriverFacts {
    nvidiaSmi: NvidiaSmiOutcome;
    /** null: lspci unavailable, so hardware presence is unknown. */
    pciDevices: PciGpu[] | null;
    module: ModuleFacts;
    /** uname -r */
    kernelRelease: string | null;
    secureBoot: SecureBootState | null;
    /** null: unknown (mokutil missing or failed) */
    enrolledKeys: EnrolledKey[] | null;
    nouveauBlacklist: NouveauBlacklist | null;
    cdiSpecs: CdiSpec[];
    taint: Taint | null;
    /** null: not an image-based host, or not known. */
    deployments: DeploymentsHint | null;
    /** Sources that answered in a form the page could not read (their facts are unknown). */
    unreadable: string[];
}

// ---- diagnosis ----

export type Condition =
    | 'healthy'
    | 'no-nvidia-hardware'
    | 'nvidia-smi-missing'
    | 'driver-not-loaded'
    | 'version-mismatch'
    | 'nvml-missing'
    | 'no-devices'
    | 'gpu-lost'
    | 'device-handle-unknown'
    | 'inforom-corrupted'
    | 'module-kernel-mismatch'
    | 'unsigned-module-secure-boot'
    | 'nouveau-bound'
    | 'stale-cdi'
    | 'nvidia-smi-timeout'
    | 'unknown-failure';

export type Severity = 'ok' | 'warning' | 'danger' | 'info';

export interface Diagnosis {
    condition: Condition;
    severity: Severity;
    /** All translated. */
    title: string;
    cause: string;
    remedy: string;
    /** Facts that support the verdict (translated), e.g. versions or the tool's message. */
    details?: string[];
}
