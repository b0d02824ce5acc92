import { applyAppLine, computeAppsStreamArgv, expireApps, type SeenApp } from './compute-apps-live';

const line = (pid: number, mem: number) => `2026/07/14 09:00:44.742, ${pid}, /usr/bin/llama-server, ${mem}, GPU-5d5b6e8e-1c2a-4f3e-9e1b-2b7a3c4d5e6f, 00000000:01:00.0`;

test('argv asks for a timestamped stream', () => {
    expect(computeAppsStreamArgv(5000)).toEqual(['nvidia-smi', '--query-compute-apps=timestamp,pid,process_name,used_gpu_memory,gpu_uuid,gpu_bus_id', '--format=csv,noheader,nounits', '-lms', '5000']);
});

test('processes appear, update, and disappear after missed ticks', () => {
    let apps: ReadonlyMap<string, SeenApp> = new Map();
    apps = applyAppLine(apps, line(4242, 6120), 0).apps;
    apps = applyAppLine(apps, line(5151, 300), 0).apps;
    expect([...apps.values()].map(s => [s.app.pid, s.app.usedMemoryMiB, s.app.gpuBusId])).toEqual([[4242, 6120, '0000:01:00.0'], [5151, 300, '0000:01:00.0']]);
    apps = applyAppLine(apps, line(4242, 6200), 5000).apps;
    apps = expireApps(apps, 13000, 5000);
    expect([...apps.values()].map(s => [s.app.pid, s.app.usedMemoryMiB])).toEqual([[4242, 6200]]);
});

test('a garbage line is an error and changes nothing', () => {
    const before: ReadonlyMap<string, SeenApp> = new Map();
    const { apps, error } = applyAppLine(before, 'garbage, here', 0);
    expect(apps).toBe(before);
    expect(error).not.toBeNull();
});
