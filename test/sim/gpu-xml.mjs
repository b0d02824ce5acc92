// Reads the facts the simulated nvidia-smi needs out of a recorded `nvidia-smi -q -x`.
//
// No XML library (the simulator has no npm deps) and no DOM: the recordings are
// nvidia-smi's own regular output, so a scan for element paths is enough. Elements
// that repeat names of the GPU's own (a MIG device's fb_memory_usage, a process's
// used_memory) are cut out first so a path finds the GPU-level element.

const NESTED_SECTIONS = ['mig_devices', 'processes', 'accounted_processes'];

function section(text, name) {
    const open = new RegExp(`<${name}(?:\\s[^>]*)?>`);
    const m = open.exec(text);
    if (!m) return null;
    const close = text.indexOf(`</${name}>`, m.index + m[0].length);
    if (close < 0) return null;
    return text.slice(m.index + m[0].length, close);
}

function withoutSections(text, names) {
    let out = text;
    for (const name of names) {
        out = out.replace(new RegExp(`<${name}\\s*/>`, 'g'), '');
        out = out.replace(new RegExp(`<${name}(?:\\s[^>]*)?>[\\s\\S]*?</${name}>`, 'g'), '');
    }
    return out;
}

const ENTITIES = { '&lt;': '<', '&gt;': '>', '&amp;': '&', '&quot;': '"', '&apos;': '\'' };

/** Text of the element at `path` ("a/b/c") inside `text`, trimmed; undefined if absent. */
export function elementText(text, path) {
    let cur = text;
    for (const name of path.split('/')) {
        cur = section(cur, name);
        if (cur === null) return undefined;
    }
    return cur.trim().replace(/&(lt|gt|amp|quot|apos);/g, e => ENTITIES[e]);
}

/** The first of several alternative paths that exists (element names changed across DTD versions). */
function first(text, ...paths) {
    for (const p of paths) {
        const v = elementText(text, p);
        if (v !== undefined) return v;
    }
    return undefined;
}

/** A measurement such as "12288 MiB", "170.00 W", "42 C", "0 %" → number; N/A and reasons → null. */
export function numberIn(raw) {
    if (raw === undefined || raw === null) return null;
    const m = /^(-?\d+(?:\.\d+)?)(?:\s*(?:MiB|W|C|%|MHz|x|KB\/s))?$/.exec(raw.trim());
    return m ? Number(m[1]) : null;
}

function gpuFacts(block, id, index) {
    const top = withoutSections(block, NESTED_SECTIONS);
    const get = (...paths) => first(top, ...paths);
    const num = (...paths) => numberIn(get(...paths));
    const migDevices = [];
    const migSection = section(block, 'mig_devices');
    if (migSection) {
        const re = /<mig_device>([\s\S]*?)<\/mig_device>/g;
        let m;
        while ((m = re.exec(migSection)))
            migDevices.push({
                index: numberIn(elementText(m[1], 'index')),
                gpuInstanceId: numberIn(elementText(m[1], 'gpu_instance_id')),
                computeInstanceId: numberIn(elementText(m[1], 'compute_instance_id')),
                memTotal: numberIn(elementText(m[1], 'fb_memory_usage/total')),
            });
    }
    // <processes><process_info>…</process_info></processes> (a self-closing or empty
    // <processes> holds none); type is "C" (compute), "G" (graphics) or "C+G"
    const processes = [];
    const procSection = section(block, 'processes');
    if (procSection) {
        const re = /<process_info>([\s\S]*?)<\/process_info>/g;
        let m;
        while ((m = re.exec(procSection)))
            processes.push({
                pid: numberIn(elementText(m[1], 'pid')),
                type: elementText(m[1], 'type') ?? null,
                processName: elementText(m[1], 'process_name') ?? null,
                usedMiB: numberIn(elementText(m[1], 'used_memory')),
                gpuInstanceId: numberIn(elementText(m[1], 'gpu_instance_id')),
                computeInstanceId: numberIn(elementText(m[1], 'compute_instance_id')),
            });
    }
    return {
        index,
        // the <gpu id> attribute is the bus id nvidia-smi prints ("00000000:2D:00.0")
        busId: id ?? get('pci/pci_bus_id'),
        raw: get,
        name: get('product_name'),
        uuid: get('uuid'),
        minorNumber: num('minor_number'),
        migMode: get('mig_mode/current_mig') ?? 'N/A',
        migDevices,
        processes,
        pstate: get('performance_state'),
        fan: num('fan_speed'),
        memTotal: num('fb_memory_usage/total'),
        memReserved: num('fb_memory_usage/reserved'),
        memUsed: num('fb_memory_usage/used'),
        utilGpu: num('utilization/gpu_util'),
        utilMem: num('utilization/memory_util'),
        temp: num('temperature/gpu_temp'),
        tempTarget: num('temperature/gpu_target_temperature'),
        tempSlowdown: num('temperature/gpu_temp_slow_threshold'),
        powerDraw: num('gpu_power_readings/instant_power_draw', 'gpu_power_readings/power_draw', 'power_readings/power_draw'),
        powerLimit: num('gpu_power_readings/current_power_limit', 'power_readings/enforced_power_limit', 'power_readings/power_limit'),
        clockGr: num('clocks/graphics_clock'),
        clockSm: num('clocks/sm_clock'),
        clockMem: num('clocks/mem_clock'),
        clockVideo: num('clocks/video_clock'),
        maxClockGr: num('max_clocks/graphics_clock'),
        maxClockSm: num('max_clocks/sm_clock'),
        maxClockMem: num('max_clocks/mem_clock'),
        maxClockVideo: num('max_clocks/video_clock'),
    };
}

/**
 * The log-level facts and one object per `<gpu>` element, in document order (which is
 * nvidia-smi's index order). `attachedGpus` is what the log claims; a trimmed
 * recording may hold fewer `<gpu>` elements (the A100 one says 4, holds 1).
 */
export function readNvidiaSmiXml(xml) {
    const header = xml.split(/<gpu[\s>]/)[0];
    const gpus = [];
    const re = /<gpu(?:\s+id="([^"]*)")?\s*>([\s\S]*?)<\/gpu>/g;
    let m;
    while ((m = re.exec(xml)))
        gpus.push(gpuFacts(m[2], m[1], gpus.length));
    return {
        timestamp: elementText(header, 'timestamp'),
        driverVersion: elementText(header, 'driver_version'),
        cudaVersion: elementText(header, 'cuda_version'),
        attachedGpus: numberIn(elementText(header, 'attached_gpus')),
        gpus,
    };
}
