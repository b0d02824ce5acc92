import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { COMPUTE_APPS_FIELDS, computeAppsArgv, parseComputeApps, parseListGpus } from './compute-apps-parser';

const fixtures = path.join(__dirname, '../../test/fixtures');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const recorded = read('nvidia-smi-csv/h100-mig-590-query-compute-apps-load.csv');
const recordedFields = /--query-compute-apps=(\S+)/.exec(read('nvidia-smi-csv/h100-mig-590-query-compute-apps-load.cmd.txt'))![1].split(',');

test('the recorded H100 compute apps (header, units, recorded field order)', () => {
    const expected = [
        { pid: 21180, processName: '/root/tools/memhog', usedMemoryMiB: 2296, gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuBusId: '0000:00:09.0' },
        { pid: 21181, processName: '/root/tools/memhog', usedMemoryMiB: 1272, gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuBusId: '0000:00:09.0' },
        { pid: 21198, processName: './gpu_burn', usedMemoryMiB: 7484, gpuUuid: 'GPU-00000000-0000-0000-0000-000000000000', gpuBusId: '0000:00:09.0' },
    ];
    expect(recordedFields).toEqual(['timestamp', 'gpu_name', 'gpu_bus_id', 'gpu_serial', 'gpu_uuid', 'pid', 'process_name', 'used_gpu_memory']);
    expect(parseComputeApps(recorded)).toEqual(expected);
    expect(parseComputeApps(recorded, recordedFields)).toEqual(expected);
});

test('the page\'s own query (noheader, nounits), made of the recorded values', () => {
    // the recorded rows re-ordered into COMPUTE_APPS_FIELDS, units dropped as nounits does
    const text = [
        '21180, /root/tools/memhog, 2296, GPU-00000000-0000-0000-0000-000000000000, 00000000:00:09.0',
        '21198, ./gpu_burn, [N/A], GPU-00000000-0000-0000-0000-000000000000, 00000000:00:09.0',
        '',
    ].join('\n');
    const apps = parseComputeApps(text);
    expect(apps.map(a => [a.pid, a.processName, a.usedMemoryMiB, a.gpuBusId])).toEqual([
        [21180, '/root/tools/memhog', 2296, '0000:00:09.0'],
        [21198, './gpu_burn', null, '0000:00:09.0'],
    ]);
    expect(computeAppsArgv()).toEqual(['nvidia-smi', `--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`, '--format=csv,noheader,nounits']);
});

test('a command line holding ", " stays one process name', () => {
    const apps = parseComputeApps('4044, /usr/bin/python -c print(1, 2), 160, GPU-00000000-0000-0000-0000-000000000000, 00000000:00:09.0\n');
    expect(apps[0]).toMatchObject({ pid: 4044, processName: '/usr/bin/python -c print(1, 2)', usedMemoryMiB: 160 });
});

test('no processes', () => {
    expect(parseComputeApps('')).toEqual([]);
    expect(parseComputeApps(recorded.split('\n')[0] + '\n')).toEqual([]);
});

test('garbage gives a ParseError', () => {
    expect(() => parseComputeApps('Failed to initialize NVML: Driver/library version mismatch\n')).toThrow(ParseError);
    expect(() => parseComputeApps('x, y, z, GPU-1, 0000:00:09.0\n')).toThrow(/pid/);
});

test('nvidia-smi -L with MIG devices (H100, 590)', () => {
    expect(parseListGpus(read('nvidia-smi-text/list-L-h100-mig-590.txt'))).toEqual([{
        index: 0,
        name: 'NVIDIA H100 80GB HBM3',
        uuid: 'GPU-00000000-0000-0000-0000-000000000000',
        migDevices: [
            { index: 0, profile: '3g.40gb', uuid: 'MIG-00000000-0000-0000-0000-000000000000' },
            { index: 1, profile: '2g.20gb', uuid: 'MIG-00000001-0000-0000-0000-000000000001' },
            { index: 2, profile: '1g.10gb', uuid: 'MIG-00000002-0000-0000-0000-000000000002' },
            { index: 3, profile: '1g.10gb', uuid: 'MIG-00000003-0000-0000-0000-000000000003' },
        ],
    }]);
});

test('nvidia-smi -L: an error message is a ParseError', () => {
    expect(() => parseListGpus(read('nvidia-smi-errors/couldnt-communicate.txt'))).toThrow(ParseError);
});
