// Parses `nvidia-smi -q -x` with the browser's own XML parser. The element set changed
// across DTD v9..v13 (power_readings → gpu_power_readings, clocks_throttle_reasons →
// clocks_event_reasons, single/double_bit ECC → sram/dram counts, absolute temperature
// thresholds → T.Limit ones), so every lookup tolerates a missing element and each
// renamed field is read from all of its names.
import { ParseError } from '../../pkg/lib/parse-error';
import type {
    ClockEventReason, ClockSet, DriverModel, Ecc, EccCounts, Gpu, GpuInventory, GpuProcess,
    GpuProcessType, MemoryUsage, MigDevice, RemappedRows, RetiredPages, Switch,
} from './gpu';
import { isPlainNotAvailable, normaliseBusId, numberOf, performanceStateOf, textOf } from './nvidia-smi-values';

const TOOL = 'nvidia-smi';

function child(parent: Element | null, name: string): Element | null {
    if (!parent)
        return null;
    for (const el of Array.from(parent.children)) {
        if (el.tagName === name)
            return el;
    }
    return null;
}

function children(parent: Element | null, name: string): Element[] {
    return parent ? Array.from(parent.children).filter(el => el.tagName === name) : [];
}

function at(parent: Element | null, path: string): Element | null {
    let el = parent;
    for (const name of path.split('/'))
        el = child(el, name);
    return el;
}

/** Reads values off one <gpu> element and records why a value is missing. */
class Reader {
    readonly notes: Record<string, string> = {};

    constructor(readonly root: Element) {}

    raw(path: string): string | null {
        const el = at(this.root, path);
        return el ? (el.textContent ?? '').trim() : null;
    }

    /** The first of several element paths that exists (for renamed fields). */
    rawOf(paths: string[]): string | null {
        for (const path of paths) {
            const value = this.raw(path);
            if (value !== null)
                return value;
        }
        return null;
    }

    number(key: string, ...paths: string[]): number | null {
        const text = this.rawOf(paths);
        const value = numberOf(text);
        if (value === null && text !== null && !isPlainNotAvailable(text))
            this.notes[key] = text;
        return value;
    }

    /** A number from the first path that holds one (newer drivers keep N/A in old names). */
    firstNumber(key: string, ...paths: string[]): number | null {
        for (const path of paths) {
            const value = numberOf(this.raw(path));
            if (value !== null)
                return value;
        }
        return this.number(key, ...paths);
    }

    text(path: string): string | null {
        return textOf(this.raw(path));
    }
}

function switchOf(text: string | null): Switch {
    const t = text?.trim().toLowerCase();
    if (t === 'enabled')
        return 'enabled';
    if (t === 'disabled')
        return 'disabled';
    return null;
}

function yesNo(text: string | null): boolean | null {
    const t = text?.trim().toLowerCase();
    if (t === 'yes')
        return true;
    if (t === 'no')
        return false;
    return null;
}

function driverModelOf(text: string | null): DriverModel | null {
    const t = text?.trim();
    return t === 'WDDM' || t === 'TCC' || t === 'MCDM' ? t : null;
}

const PROCESS_TYPES: readonly GpuProcessType[] = ['C', 'G', 'C+G', 'M', 'M+C', 'M+G', 'M+C+G'];

function processTypeOf(text: string): GpuProcessType {
    const found = PROCESS_TYPES.find(type => type === text);
    return found ?? 'unknown';
}

function intOrNull(text: string | null): number | null {
    const value = numberOf(text);
    return value !== null && Number.isInteger(value) ? value : null;
}

function memoryOf(r: Reader, base: string, key: string): MemoryUsage {
    return {
        total: r.number(`${key}.total`, `${base}/total`),
        used: r.number(`${key}.used`, `${base}/used`),
        free: r.number(`${key}.free`, `${base}/free`),
        reserved: r.number(`${key}.reserved`, `${base}/reserved`),
    };
}

function clockSet(r: Reader, base: string, key: string): ClockSet {
    return {
        graphics: r.number(`${key}.graphics`, `${base}/graphics_clock`),
        sm: r.number(`${key}.sm`, `${base}/sm_clock`),
        memory: r.number(`${key}.memory`, `${base}/mem_clock`),
        video: r.number(`${key}.video`, `${base}/video_clock`),
    };
}

function sumOf(values: (number | null)[]): number | null {
    const known = values.filter((v): v is number => v !== null);
    return known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
}

function eccCounts(r: Reader, base: string): EccCounts {
    // DTD ≤ v11 (pre-Ampere drivers): single_bit/double_bit with a total each.
    if (r.raw(`${base}/single_bit`) !== null) {
        return {
            singleBit: numberOf(r.raw(`${base}/single_bit/total`)),
            doubleBit: numberOf(r.raw(`${base}/double_bit/total`)),
        };
    }
    // Newer: SRAM and DRAM counts; v13 splits SRAM uncorrectable into parity and SEC-DED.
    const n = (name: string) => numberOf(r.raw(`${base}/${name}`));
    return {
        singleBit: sumOf([n('sram_correctable'), n('dram_correctable')]),
        doubleBit: sumOf([n('sram_uncorrectable'), n('sram_uncorrectable_parity'), n('sram_uncorrectable_secded'), n('dram_uncorrectable')]),
    };
}

function retiredPagesOf(r: Reader): RetiredPages | null {
    const singleBit = numberOf(r.raw('retired_pages/multiple_single_bit_retirement/retired_count'));
    const doubleBit = numberOf(r.raw('retired_pages/double_bit_retirement/retired_count'));
    const pending = yesNo(r.raw('retired_pages/pending_retirement') ?? r.raw('retired_pages/pending_blacklist'));
    if (singleBit === null && doubleBit === null && pending === null)
        return null;
    return { singleBit, doubleBit, pending };
}

function remappedRowsOf(r: Reader): RemappedRows | null {
    const correctable = numberOf(r.raw('remapped_rows/remapped_row_corr'));
    const uncorrectable = numberOf(r.raw('remapped_rows/remapped_row_unc'));
    const pending = yesNo(r.raw('remapped_rows/remapped_row_pending'));
    const failure = yesNo(r.raw('remapped_rows/remapped_row_failure'));
    if (correctable === null && uncorrectable === null && pending === null && failure === null)
        return null;
    return { correctable, uncorrectable, pending, failure };
}

function eccOf(r: Reader): Ecc {
    return {
        current: switchOf(r.raw('ecc_mode/current_ecc')),
        pending: switchOf(r.raw('ecc_mode/pending_ecc')),
        volatile: eccCounts(r, 'ecc_errors/volatile'),
        aggregate: eccCounts(r, 'ecc_errors/aggregate'),
        retiredPages: retiredPagesOf(r),
        remappedRows: remappedRowsOf(r),
    };
}

function clockEventReasonsOf(gpu: Element): ClockEventReason[] {
    const active: ClockEventReason[] = [];
    for (const [container, prefix] of [['clocks_event_reasons', 'clocks_event_reason_'], ['clocks_throttle_reasons', 'clocks_throttle_reason_']]) {
        for (const el of Array.from(child(gpu, container)?.children ?? [])) {
            if (el.tagName.startsWith(prefix) && (el.textContent ?? '').trim() === 'Active')
                active.push(el.tagName.slice(prefix.length));
        }
    }
    return active;
}

function migDevicesOf(gpu: Element): MigDevice[] {
    return children(child(gpu, 'mig_devices'), 'mig_device').map((el, position) => {
        const r = new Reader(el);
        return {
            index: intOrNull(r.raw('index')) ?? position,
            gpuInstanceId: intOrNull(r.raw('gpu_instance_id')),
            computeInstanceId: intOrNull(r.raw('compute_instance_id')),
            profile: null,
            uuid: null,
            multiprocessorCount: numberOf(r.raw('device_attributes/shared/multiprocessor_count')),
            memory: memoryOf(r, 'fb_memory_usage', 'memory'),
        };
    });
}

function processesOf(gpu: Element, text: string): GpuProcess[] {
    return children(child(gpu, 'processes'), 'process_info').map(el => {
        const r = new Reader(el);
        const pid = intOrNull(r.raw('pid'));
        if (pid === null)
            throw new ParseError(TOOL, `a process has no pid ("${r.raw('pid') ?? ''}")`, text);
        const typeRaw = r.raw('type') ?? '';
        return {
            pid,
            type: processTypeOf(typeRaw),
            typeRaw,
            name: r.raw('process_name') ?? '',
            usedMemoryMiB: numberOf(r.raw('used_memory')),
            gpuInstanceId: intOrNull(r.raw('gpu_instance_id')),
            computeInstanceId: intOrNull(r.raw('compute_instance_id')),
        };
    });
}

function gpuOf(el: Element, index: number, text: string): Gpu {
    const r = new Reader(el);
    const pciBusIdRaw = r.raw('pci/pci_bus_id') ?? el.getAttribute('id');
    const uuid = r.text('uuid');
    if (!pciBusIdRaw || !uuid)
        throw new ParseError(TOOL, `GPU ${index} has no PCI bus id or UUID`, text);
    // power_readings (≤ v11) became gpu_power_readings; power_draw became instant/average.
    const pw = child(el, 'gpu_power_readings') ? 'gpu_power_readings' : 'power_readings';
    const perfText = r.raw('performance_state');
    const performanceState = performanceStateOf(perfText);
    if (performanceState === null && perfText !== null && !isPlainNotAvailable(perfText))
        r.notes['performanceState'] = perfText;

    return {
        index,
        name: r.text('product_name') ?? '',
        brand: r.text('product_brand'),
        architecture: r.text('product_architecture'),
        uuid,
        pciBusId: normaliseBusId(pciBusIdRaw),
        pciBusIdRaw,
        pciDeviceId: r.text('pci/pci_device_id'),
        pcie: {
            genCurrent: r.number('pcie.genCurrent', 'pci/pci_gpu_link_info/pcie_gen/current_link_gen'),
            genMax: r.number('pcie.genMax', 'pci/pci_gpu_link_info/pcie_gen/max_link_gen'),
            widthCurrent: r.number('pcie.widthCurrent', 'pci/pci_gpu_link_info/link_widths/current_link_width'),
            widthMax: r.number('pcie.widthMax', 'pci/pci_gpu_link_info/link_widths/max_link_width'),
        },
        serial: r.text('serial'),
        vbios: r.text('vbios_version'),
        minorNumber: intOrNull(r.raw('minor_number')),
        driverModel: {
            current: driverModelOf(r.raw('driver_model/current_dm')),
            pending: driverModelOf(r.raw('driver_model/pending_dm')),
        },
        persistenceMode: switchOf(r.raw('persistence_mode')) === null ? null : switchOf(r.raw('persistence_mode')) === 'enabled',
        computeMode: r.text('compute_mode'),
        virtualizationMode: r.text('gpu_virtualization_mode/virtualization_mode'),
        memory: memoryOf(r, 'fb_memory_usage', 'memory'),
        bar1: {
            total: r.number('bar1.total', 'bar1_memory_usage/total'),
            used: r.number('bar1.used', 'bar1_memory_usage/used'),
            free: r.number('bar1.free', 'bar1_memory_usage/free'),
        },
        utilisation: {
            gpu: r.number('utilisation.gpu', 'utilization/gpu_util'),
            memory: r.number('utilisation.memory', 'utilization/memory_util'),
            encoder: r.number('utilisation.encoder', 'utilization/encoder_util'),
            decoder: r.number('utilisation.decoder', 'utilization/decoder_util'),
        },
        temperature: {
            gpu: r.number('temperature.gpu', 'temperature/gpu_temp'),
            memory: r.number('temperature.memory', 'temperature/memory_temp'),
            shutdown: r.number('temperature.shutdown', 'temperature/gpu_temp_max_threshold'),
            slowdown: r.number('temperature.slowdown', 'temperature/gpu_temp_slow_threshold'),
            maxOperating: r.number('temperature.maxOperating', 'temperature/gpu_temp_max_gpu_threshold'),
            maxMemory: r.number('temperature.maxMemory', 'temperature/gpu_temp_max_mem_threshold'),
            target: r.number('temperature.target', 'temperature/gpu_target_temperature'),
            tlimit: {
                headroom: r.number('temperature.tlimit.headroom', 'temperature/gpu_temp_tlimit'),
                shutdown: r.number('temperature.tlimit.shutdown', 'temperature/gpu_temp_max_tlimit_threshold'),
                slowdown: r.number('temperature.tlimit.slowdown', 'temperature/gpu_temp_slow_tlimit_threshold'),
                maxOperating: r.number('temperature.tlimit.maxOperating', 'temperature/gpu_temp_max_gpu_tlimit_threshold'),
            },
        },
        power: {
            draw: r.firstNumber('power.draw', `${pw}/instant_power_draw`, `${pw}/power_draw`, `${pw}/average_power_draw`),
            drawAverage: r.number('power.drawAverage', `${pw}/average_power_draw`),
            limit: r.number('power.limit', `${pw}/power_limit`, `${pw}/requested_power_limit`),
            defaultLimit: r.number('power.defaultLimit', `${pw}/default_power_limit`),
            minLimit: r.number('power.minLimit', `${pw}/min_power_limit`),
            maxLimit: r.number('power.maxLimit', `${pw}/max_power_limit`),
            enforcedLimit: r.number('power.enforcedLimit', `${pw}/enforced_power_limit`, `${pw}/current_power_limit`),
        },
        clocks: { ...clockSet(r, 'clocks', 'clocks'), max: clockSet(r, 'max_clocks', 'clocks.max') },
        fanSpeed: r.number('fanSpeed', 'fan_speed'),
        performanceState,
        clockEventReasons: clockEventReasonsOf(el),
        ecc: eccOf(r),
        mig: {
            current: switchOf(r.raw('mig_mode/current_mig')),
            pending: switchOf(r.raw('mig_mode/pending_mig')),
            devices: migDevicesOf(el),
        },
        processes: processesOf(el, text),
        notes: r.notes,
    };
}

/** Both jsdom and browsers report malformed XML as a document holding a <parsererror>. */
function parserError(doc: Document): string | null {
    const error = doc.getElementsByTagName('parsererror')[0] ??
        doc.getElementsByTagNameNS('*', 'parsererror')[0];
    if (!error)
        return null;
    // Chromium wraps the message in <h3>…</h3><div>message</div><h3>…</h3>; jsdom and
    // Firefox put it directly in the element.
    const div = error.getElementsByTagName('div')[0];
    return ((div ?? error).textContent ?? '').trim() || 'malformed XML';
}

export function parseNvidiaSmiXml(text: string): GpuInventory {
    if (!text.trim().startsWith('<'))
        throw new ParseError(TOOL, 'the output is not XML', text);
    let doc: Document;
    try {
        doc = new DOMParser().parseFromString(text, 'application/xml');
    } catch (ex) {
        // jsdom throws on some inputs instead of returning a <parsererror> document
        throw new ParseError(TOOL, `the XML does not parse: ${String(ex)}`, text);
    }
    const error = parserError(doc);
    if (error !== null)
        throw new ParseError(TOOL, `the XML does not parse: ${error.split('\n')[0]}`, text);
    const root = doc.documentElement;
    if (!root || root.tagName !== 'nvidia_smi_log')
        throw new ParseError(TOOL, `expected <nvidia_smi_log>, got <${root?.tagName ?? 'nothing'}>`, text);

    const r = new Reader(root);
    return {
        timestamp: r.text('timestamp'),
        driverVersion: r.text('driver_version'),
        cudaVersion: r.text('cuda_version'),
        attachedGpus: intOrNull(r.raw('attached_gpus')),
        gpus: children(root, 'gpu').map((el, index) => gpuOf(el, index, text)),
    };
}
