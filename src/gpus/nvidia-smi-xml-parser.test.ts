import fs from 'fs';
import path from 'path';
import { parseNvidiaSmiXml } from './nvidia-smi-xml-parser';
import { parseErrorOf } from '../../test/unit/parse-errors';

const fixtures = path.join(__dirname, '../../test/fixtures/nvidia-smi-xml');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const parse = (name: string) => parseNvidiaSmiXml(read(name));


/** No NaN anywhere in the model: every measurement is a number or null. */
function hasNaN(value: unknown): boolean {
    if (typeof value === 'number')
        return Number.isNaN(value);
    if (value && typeof value === 'object')
        return Object.values(value).some(hasNaN);
    return false;
}

test.each(fs.readdirSync(fixtures))('every recording parses: %s', name => {
    const inventory = parse(name);
    expect(inventory.driverVersion).toMatch(/^\d+\.\d+(\.\d+)?$/);
    expect(inventory.gpus.length).toBeGreaterThan(0);
    for (const gpu of inventory.gpus) {
        expect(gpu.uuid).toMatch(/^GPU-[0-9a-f-]{36}$/);
        expect(gpu.pciBusId).toMatch(/^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$/);
        expect(gpu.memory.total).toBeGreaterThan(0);
        expect(gpu.performanceState).toMatch(/^P\d+$/);
    }
    expect(hasNaN(inventory)).toBe(false);
});

test('A100 SXM4 with MIG (DTD v12, 535)', () => {
    const inventory = parse('telegraf-a100-sxm4-mig-535.xml');
    expect(inventory).toMatchObject({ driverVersion: '535.54.03', cudaVersion: '12.2', timestamp: 'Fri Aug  4 11:44:30 2023' });
    // nvidia-smi counted 4 GPUs; the recording holds one of them
    expect(inventory.attachedGpus).toBe(4);
    expect(inventory.gpus).toHaveLength(1);
    const gpu = inventory.gpus[0];
    expect(gpu).toMatchObject({
        name: 'NVIDIA A100-SXM4-80GB',
        uuid: 'GPU-513536b6-7d19-9063-b049-1e69664bb298',
        pciBusId: '0000:01:00.0',
        pciBusIdRaw: '00000000:01:00.0',
        serial: '1650522003820',
        vbios: '92.00.36.00.02',
        persistenceMode: false,
        performanceState: 'P0',
        fanSpeed: null,
        memory: { total: 81920, used: 50, free: 80999, reserved: 869 },
        power: { draw: 67.03, limit: 500, enforcedLimit: 500, minLimit: 100 },
        temperature: { gpu: 27, memory: 44, shutdown: 92, slowdown: 89, maxOperating: 85, target: null },
        clocks: { sm: 1275, memory: 1593, max: { graphics: 1410 } },
    });
    // utilisation is N/A per GPU in MIG mode
    expect(gpu.utilisation).toEqual({ gpu: null, memory: null, encoder: null, decoder: null });
    expect(gpu.ecc).toMatchObject({ current: 'enabled', volatile: { singleBit: 0, doubleBit: 0 }, retiredPages: null, remappedRows: null });
    expect(gpu.mig.current).toBe('enabled');
    expect(gpu.mig.devices).toHaveLength(4);
    expect(gpu.mig.devices.map(d => d.gpuInstanceId)).toEqual([3, 4, 5, 6]);
    expect(gpu.mig.devices[0]).toMatchObject({ index: 0, computeInstanceId: 0, multiprocessorCount: 14, memory: { total: 19968, used: 12 }, profile: null });
    expect(gpu.processes).toEqual([]);
});

test('RTX 3080 on a WDDM driver (536, Windows)', () => {
    const gpu = parse('telegraf-rtx3080-536-windows.xml').gpus[0];
    expect(gpu.driverModel).toEqual({ current: 'WDDM', pending: 'WDDM' });
    expect(gpu.persistenceMode).toBeNull();
    expect(gpu.virtualizationMode).toBe('Pass-Through');
    expect(gpu.power).toMatchObject({ draw: 22.78, limit: 336, defaultLimit: 320 });
    expect(gpu.processes).toHaveLength(5);
    expect(gpu.processes[0]).toEqual({
        pid: 835, type: 'G', typeRaw: 'G', name: '/usr/lib/Xorg', usedMemoryMiB: 550, gpuInstanceId: null, computeInstanceId: null,
    });
    expect(gpu.processes[4].name).toMatch(/^\/opt\/visual-studio-code\/code --type=gpu-process/);
    expect(gpu.processes.map(p => p.pid)).toEqual([835, 1481, 2214, 4044, 42416]);
});

test('RTX 4000 SFF Ada (DTD v13, tabs): T.Limit temperatures and C / G / C+G processes', () => {
    const inventory = parse('telegraf-rtx4000-sff-ada-595-v13.xml');
    expect(inventory).toMatchObject({ driverVersion: '595.84', cudaVersion: '13.2', attachedGpus: 1 });
    const gpu = inventory.gpus[0];
    expect(gpu).toMatchObject({
        name: 'NVIDIA RTX 4000 SFF Ada Generation',
        uuid: 'GPU-37037c3f-65c8-ec4d-24a9-420204ad8026',
        pciBusId: '0000:06:00.0',
        architecture: 'Ada Lovelace',
        memory: { total: 20475, used: 3534, free: 16482, reserved: 460 },
        utilisation: { gpu: 0, memory: 37 },
        power: { draw: 8.44, drawAverage: 8.81, limit: 70, enforcedLimit: 70, minLimit: 30 },
        fanSpeed: 30,
        performanceState: 'P8',
        clockEventReasons: ['gpu_idle'],
    });
    // absolute thresholds are gone on Ada with newer drivers; T.Limit ones are relative
    expect(gpu.temperature).toMatchObject({ gpu: 38, shutdown: null, target: 88, tlimit: { headroom: 49, shutdown: -7, slowdown: -2, maxOperating: 0 } });
    expect(gpu.ecc).toMatchObject({ current: 'disabled', remappedRows: { correctable: 0, uncorrectable: 0, pending: false, failure: false } });
    expect(gpu.processes.map(p => [p.pid, p.type, p.name, p.usedMemoryMiB])).toEqual([
        [1842, 'G', 'cosmic-comp', 410],
        [3190, 'G', '/usr/bin/code', 451],
        [4937, 'C', 'python', 160],
        [34626, 'C+G', '/usr/lib/chromium/chromium', 183],
    ]);
});

test('two RTX 2070 (v13): order of the XML is the index', () => {
    const inventory = parse('telegraf-dual-rtx2070-590-v13.xml');
    expect(inventory.gpus.map(g => [g.index, g.pciBusId, g.uuid])).toEqual([
        [0, '0000:01:00.0', 'GPU-12345678-aaaa-bbbb-cccc-0123456789ab'],
        [1, '0000:02:00.0', 'GPU-12345678-aaaa-bbbb-cccc-0123456789cd'],
    ]);
    expect(inventory.gpus[1]).toMatchObject({ fanSpeed: 34, power: { draw: 11.82 }, temperature: { gpu: 13 } });
});

test('GT 1030 (470, old DTD): power_readings, clocks_throttle_reasons, single/double-bit ECC', () => {
    const gpu = parse('telegraf-gt1030-470.xml').gpus[0];
    expect(gpu).toMatchObject({
        name: 'NVIDIA GeForce GT 1030',
        pciBusId: '0000:2d:00.0',
        pciBusIdRaw: '00000000:2D:00.0',
        memory: { total: 1998, used: 875, free: 1123, reserved: null },
        power: { draw: null, limit: 30, enforcedLimit: 30, minLimit: 25.5 },
        utilisation: { encoder: null, decoder: 0 },
        clockEventReasons: ['gpu_idle'],
    });
    expect(gpu.ecc).toMatchObject({ current: null, volatile: { singleBit: null, doubleBit: null }, remappedRows: null });
    expect(gpu.processes).toHaveLength(10);
    expect(gpu.processes[0]).toMatchObject({ pid: 607, name: '/usr/lib/Xorg', usedMemoryMiB: 547 });
});

test('Quadro P400 (418, no DOCTYPE): all power values N/A', () => {
    const inventory = parse('telegraf-quadro-p400-418.xml');
    expect(inventory.driverVersion).toBe('418.43');
    expect(inventory.gpus[0]).toMatchObject({ name: 'Quadro P400', pciBusId: '0000:43:00.0', fanSpeed: 34 });
    expect(Object.values(inventory.gpus[0].power).every(v => v === null)).toBe(true);
});

test('Tesla T4 (515): retired pages reported, remapped rows not', () => {
    const gpu = parse('telegraf-tesla-t4-515.xml').gpus[0];
    expect(gpu.ecc.retiredPages).toEqual({ singleBit: 0, doubleBit: 0, pending: false });
    expect(gpu.ecc.remappedRows).toBeNull();
    expect(gpu.clockEventReasons).toEqual([]);
    expect(gpu.processes.map(p => [p.pid, p.type, p.usedMemoryMiB])).toEqual([[675, 'G', 22], [5762, 'C', 1005]]);
});

test('A10G (515): remapped rows and Pass-Through virtualisation', () => {
    const gpu = parse('telegraf-a10g-515.xml').gpus[0];
    expect(gpu).toMatchObject({ name: 'NVIDIA A10G', pciBusId: '0000:00:1e.0', virtualizationMode: 'Pass-Through' });
    expect(gpu.ecc.remappedRows).toEqual({ correctable: 0, uncorrectable: 0, pending: false, failure: false });
});

test('RTX PRO 6000 Blackwell (590, v13): llama.cpp holding 64 GiB', () => {
    const gpu = parse('telegraf-rtx-pro6000-blackwell-590-v13.xml').gpus[0];
    expect(gpu).toMatchObject({ memory: { total: 97887, used: 65720 }, power: { draw: 3.99, limit: 300 } });
    expect(gpu.processes).toHaveLength(1);
    expect(gpu.processes[0]).toMatchObject({ pid: 116860, type: 'C', usedMemoryMiB: 65710 });
});

test('other recordings: spot values', () => {
    expect(parse('telegraf-rtx3060-570.xml').gpus[0]).toMatchObject({ name: 'NVIDIA GeForce RTX 3060', memory: { total: 12288 }, power: { draw: 11.63, drawAverage: 11.6 } });
    expect(parse('telegraf-rtx3080-595-v13.xml').gpus[0]).toMatchObject({ utilisation: { gpu: 65 }, performanceState: 'P2', clockEventReasons: [] });
    expect(parse('telegraf-rtx3090-525.xml').gpus[0]).toMatchObject({ power: { limit: 200, defaultLimit: 350, enforcedLimit: 200 } });
    expect(parse('telegraf-quadro-p2000-525.xml').gpus[0]).toMatchObject({ name: 'Quadro P2000', fanSpeed: 46, power: { draw: 4.61 } });
});

test('reasons instead of numbers become null, and the reason is kept', () => {
    const text = read('telegraf-rtx3060-570.xml')
            .replace(/<gpu_util>[^<]*</, '<gpu_util>[N/A]<')
            .replace(/<fan_speed>[^<]*</, '<fan_speed>Unknown Error<')
            .replace(/<instant_power_draw>11.63 W</, '<instant_power_draw>Not Supported<')
            .replace(/<memory_util>[^<]*</, '<memory_util>Insufficient Size<')
            .replace(/<performance_state>[^<]*</, '<performance_state>Unknown<');
    const gpu = parseNvidiaSmiXml(text).gpus[0];
    expect(gpu.utilisation.gpu).toBeNull();
    expect(gpu.utilisation.memory).toBeNull();
    expect(gpu.fanSpeed).toBeNull();
    expect(gpu.performanceState).toBeNull();
    // the average draw is still a number
    expect(gpu.power.draw).toBe(11.6);
    expect(gpu.notes).toEqual({
        'utilisation.memory': 'Insufficient Size',
        fanSpeed: 'Unknown Error',
        performanceState: 'Unknown',
    });
});

describe('damaged output', () => {
    const whole = read('telegraf-rtx4000-sff-ada-595-v13.xml');

    test.each([
        ['truncated in a tag', whole.slice(0, 2000)],
        ['truncated at a line end', whole.slice(0, whole.indexOf('</gpu>'))],
        ['not XML at all', 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.'],
        ['empty', ''],
        ['another XML document', '<?xml version="1.0" ?>\n<html><body/></html>'],
        ['a GPU without UUID', '<nvidia_smi_log><gpu id="00000000:01:00.0"><product_name>X</product_name></gpu></nvidia_smi_log>'],
    ])('%s gives a ParseError', (_name, text) => {
        const error = parseErrorOf(() => parseNvidiaSmiXml(text));
        expect(error.tool).toBe('nvidia-smi');
        expect(error.snippet).toBe(text.trim().slice(0, 200) + (text.trim().length > 200 ? '…' : ''));
    });

    test('the parser message names the XML problem', () => {
        expect(parseErrorOf(() => parseNvidiaSmiXml(whole.slice(0, 2000))).message).toMatch(/^the XML does not parse: /);
    });

    test('a Chromium-style <parsererror> inside a partial document is found too', () => {
        // Chromium keeps what it parsed and inserts <parsererror> (XHTML namespace) as
        // the first child of the root; model that with a well-formed document.
        const text = '<nvidia_smi_log><parsererror xmlns="http://www.w3.org/1999/xhtml"><h3>This page contains the following errors:</h3>' +
            '<div>error on line 3 at column 1: Premature end of data in tag gpu line 2</div></parsererror><gpu/></nvidia_smi_log>';
        expect(parseErrorOf(() => parseNvidiaSmiXml(text)).message)
                .toBe('the XML does not parse: error on line 3 at column 1: Premature end of data in tag gpu line 2');
    });
});
