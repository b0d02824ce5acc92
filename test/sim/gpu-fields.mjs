// What the simulated `nvidia-smi --query-gpu=… / --query-compute-apps=…` may be asked
// and how each answer is printed, all taken from recordings:
//  - valid --query-gpu names and their aliases: the recorded `--help-query-gpu` (590.48.01);
//  - the unit of each field: the headers of the recorded all-fields CSVs ("memory.total [MiB]");
//  - the header names aliases print: canonical names (bpytop#26 / MindMiner#627 recordings:
//    gpu_name → "name", clocks.gr → "clocks.current.graphics [MHz]");
//  - values: "[N/A]" and "[<reason>]" cells, "0x"-prefixed PCI ids, power with two decimals.

import fs from 'node:fs';
import path from 'node:path';
import { FIXTURES_DIR } from './lib.mjs';
import { numberIn } from './gpu-xml.mjs';

const HELP_QUERY_GPU = 'nvidia-smi-text/help-query-gpu-590.48.01.txt';
const UNIT_SOURCES = [
    'nvidia-smi-csv/h100-mig-590-query-gpu-allfields-idle.csv',
    'nvidia-smi-csv/rtx2080s-linux-595-query-gpu-allfields-load.csv',
    'nvidia-smi-csv/h100-mig-590-query-compute-apps-load.csv',
];

/**
 * --query-compute-apps names (canonical first, then aliases), as the `--help-query-compute-apps`
 * section of the same nvidia_gpu_exporter H100 MIG 590.48.01 capture lists them
 * (utkuozdemir/nvidia_gpu_exporter internal/captures/linux-x86_64__nvidia-h100-mig__590.48.01.txt,
 * commit c58c3331e071b131708d57aeb3199387dd5efe18; that section is not copied into test/fixtures):
 * "process_name" or "name", "used_gpu_memory" or "used_memory". The header prints the canonical
 * name for an alias (NVIDIA/dcgm-exporter#94: `--query-compute-apps=gpu_uuid,name` prints
 * "gpu_uuid, process_name").
 */
const COMPUTE_APPS_NAMES = [
    ['timestamp'], ['gpu_name'], ['gpu_bus_id'], ['gpu_serial'], ['gpu_uuid'], ['pid'],
    ['process_name', 'name'], ['used_gpu_memory', 'used_memory'],
];

let catalog = null;

function loadCatalog() {
    if (catalog) return catalog;
    const gpuNames = new Map();
    const help = fs.readFileSync(path.join(FIXTURES_DIR, HELP_QUERY_GPU), 'utf8');
    for (const line of help.split('\n')) {
        // property lines are only quoted names: "a" or "b"
        if (!/^"[A-Za-z][\w.]*"( or "[A-Za-z][\w.]*")*\s*$/.test(line)) continue;
        const names = [...line.matchAll(/"([^"]+)"/g)].map(m => m[1]);
        for (const n of names) gpuNames.set(n, names[0]);
    }
    const appNames = new Map();
    for (const names of COMPUTE_APPS_NAMES)
        for (const n of names) appNames.set(n, names[0]);
    const units = new Map();
    for (const rel of UNIT_SOURCES) {
        const header = fs.readFileSync(path.join(FIXTURES_DIR, rel), 'utf8').split('\n')[0];
        for (const cell of header.split(', ')) {
            const m = /^(\S+) \[([^\]]+)\]$/.exec(cell);
            if (m) units.set(m[1], m[2]);
        }
    }
    catalog = { gpuNames, appNames, units };
    return catalog;
}

/** Canonical name of a --query-gpu field, or null if nvidia-smi would reject it. */
export function canonicalGpuField(name) {
    return loadCatalog().gpuNames.get(name) ?? null;
}

export function canonicalAppField(name) {
    return loadCatalog().appNames.get(name) ?? null;
}

export function unitOf(canonical) {
    return loadCatalog().units.get(canonical) ?? null;
}

const REASONS = ['Requested functionality has been deprecated', 'Not Supported', 'Unknown Error', 'Insufficient Permissions', 'Insufficient Size'];

/** A cell: null → not available; { reason } → a bracketed reason; string → a value. */
function textCell(raw) {
    if (raw === undefined || raw === null || raw === 'N/A' || raw === '') return null;
    if (REASONS.includes(raw)) return { reason: raw };
    return raw;
}

function numberCell(n, decimals = 0) {
    return n === null || n === undefined ? null : n.toFixed(decimals);
}

/** "0x" + the XML's hex digits (pci.bus "2D" → "0x2D"), as the recorded CSVs print them. */
function hexCell(raw) {
    const t = textCell(raw);
    if (typeof t !== 'string') return t;
    return /^0x/i.test(t) ? t : `0x${t}`;
}

/** The timestamp nvidia-smi prints in CSVs: "2026/11/22 03:14:24.950" (local time). */
export function csvTimestamp(date) {
    const p = (n, w = 2) => String(n).padStart(w, '0');
    return `${date.getFullYear()}/${p(date.getMonth() + 1)}/${p(date.getDate())} ` +
        `${p(date.getHours())}:${p(date.getMinutes())}:${p(date.getSeconds())}.${p(date.getMilliseconds(), 3)}`;
}

/**
 * Value sources per canonical --query-gpu field: (gpu, sample, env) → cell.
 * `gpu` from readNvidiaSmiXml, `sample` from sampleGpu, env = { log, now, count }.
 * A valid field not listed here answers "[N/A]".
 */
const GPU_FIELDS = {
    'timestamp': (g, s, env) => csvTimestamp(env.now),
    'driver_version': (g, s, env) => textCell(env.log.driverVersion),
    'count': (g, s, env) => String(env.count),
    'name': g => textCell(g.name),
    'serial': g => textCell(g.raw('serial')),
    'uuid': g => textCell(g.uuid),
    'pci.bus_id': g => textCell(g.busId),
    'pci.domain': g => hexCell(g.raw('pci/pci_domain')),
    'pci.bus': g => hexCell(g.raw('pci/pci_bus')),
    'pci.device': g => hexCell(g.raw('pci/pci_device')),
    'pci.baseClass': g => hexCell(g.raw('pci/pci_base_class')),
    'pci.subClass': g => hexCell(g.raw('pci/pci_sub_class')),
    'pci.device_id': g => hexCell(g.raw('pci/pci_device_id')),
    'pci.sub_device_id': g => hexCell(g.raw('pci/pci_sub_system_id')),
    'pcie.link.gen.current': g => textCell(g.raw('pci/pci_gpu_link_info/pcie_gen/current_link_gen')),
    'pcie.link.gen.max': g => textCell(g.raw('pci/pci_gpu_link_info/pcie_gen/max_link_gen')),
    'pcie.link.width.current': g => numberCell(numberIn(g.raw('pci/pci_gpu_link_info/link_widths/current_link_width'))),
    'pcie.link.width.max': g => numberCell(numberIn(g.raw('pci/pci_gpu_link_info/link_widths/max_link_width'))),
    'index': g => String(g.index),
    'display_mode': g => textCell(g.raw('display_mode')),
    'display_active': g => textCell(g.raw('display_active')),
    'persistence_mode': g => textCell(g.raw('persistence_mode')),
    'accounting.mode': g => textCell(g.raw('accounting_mode')),
    'accounting.buffer_size': g => textCell(g.raw('accounting_mode_buffer_size')),
    'vbios_version': g => textCell(g.raw('vbios_version')),
    'inforom.img': g => textCell(g.raw('inforom_version/img_version')),
    'fan.speed': (g, s) => numberCell(s.fan),
    'pstate': (g, s) => textCell(s.pstate),
    'memory.total': g => numberCell(g.memTotal),
    'memory.reserved': g => numberCell(g.memReserved),
    'memory.used': (g, s) => numberCell(s.memUsed),
    'memory.free': (g, s) => numberCell(s.memFree),
    'compute_mode': g => textCell(g.raw('compute_mode')),
    'utilization.gpu': (g, s) => numberCell(s.utilGpu),
    'utilization.memory': (g, s) => numberCell(s.utilMem),
    'ecc.mode.current': g => textCell(g.raw('ecc_mode/current_ecc')),
    'ecc.mode.pending': g => textCell(g.raw('ecc_mode/pending_ecc')),
    'temperature.gpu': (g, s) => numberCell(s.temp),
    'temperature.gpu.tlimit': g => numberCell(numberIn(g.raw('temperature/gpu_temp_tlimit'))),
    'temperature.memory': g => numberCell(numberIn(g.raw('temperature/memory_temp'))),
    'power.draw': (g, s) => numberCell(s.powerDraw, 2),
    'power.draw.instant': (g, s) => numberCell(s.powerDraw, 2),
    'power.limit': g => numberCell(numberIn(g.raw('gpu_power_readings/requested_power_limit', 'power_readings/power_limit')), 2),
    'enforced.power.limit': g => numberCell(g.powerLimit, 2),
    'power.default_limit': g => numberCell(numberIn(g.raw('gpu_power_readings/default_power_limit', 'power_readings/default_power_limit')), 2),
    'power.min_limit': g => numberCell(numberIn(g.raw('gpu_power_readings/min_power_limit', 'power_readings/min_power_limit')), 2),
    'power.max_limit': g => numberCell(numberIn(g.raw('gpu_power_readings/max_power_limit', 'power_readings/max_power_limit')), 2),
    'clocks.current.graphics': (g, s) => numberCell(s.clockGr),
    'clocks.current.sm': (g, s) => numberCell(s.clockSm),
    'clocks.current.memory': (g, s) => numberCell(s.clockMem),
    'clocks.current.video': (g, s) => numberCell(s.clockVideo),
    'clocks.max.graphics': g => numberCell(g.maxClockGr),
    'clocks.max.sm': g => numberCell(g.maxClockSm),
    'clocks.max.memory': g => numberCell(g.maxClockMem),
    'mig.mode.current': g => textCell(g.raw('mig_mode/current_mig')),
    'mig.mode.pending': g => textCell(g.raw('mig_mode/pending_mig')),
};

/** Compute-app fields: (app, gpu, env) → cell; app = { pid, processName, usedMiB }. */
const APP_FIELDS = {
    'timestamp': (a, g, env) => csvTimestamp(env.now),
    'gpu_name': (a, g) => textCell(g.name),
    'gpu_bus_id': (a, g) => textCell(g.busId),
    'gpu_serial': (a, g) => textCell(g.raw('serial')),
    'gpu_uuid': (a, g) => textCell(g.uuid),
    'pid': a => (a.pid === null || a.pid === undefined ? null : String(a.pid)),
    'process_name': a => textCell(a.processName),
    'used_gpu_memory': a => numberCell(a.usedMiB),
};

function printCell(cell, unit, units) {
    if (cell === null) return '[N/A]';
    if (typeof cell === 'object') return `[${cell.reason}]`;
    return units && unit ? `${cell} ${unit}` : cell;
}

/**
 * The header line for canonical fields: "memory.total [MiB]". Units stay in it under nounits
 * (Quake4/MindMiner#627: `--format=csv,nounits` prints "utilization.gpu [%], …" over unitless values).
 */
export function headerLine(canonicals) {
    return canonicals.map(f => {
        const unit = unitOf(f);
        return unit ? `${f} [${unit}]` : f;
    }).join(', ');
}

export function gpuLine(canonicals, gpu, sample, env, units) {
    return canonicals.map(f => {
        const source = GPU_FIELDS[f];
        return printCell(source ? source(gpu, sample, env) : null, unitOf(f), units);
    }).join(', ');
}

export function appLine(canonicals, app, gpu, env, units) {
    return canonicals.map(f => printCell(APP_FIELDS[f](app, gpu, env), unitOf(f), units)).join(', ');
}
