import type { ComputeApp } from '../gpus/gpu';
import type { ProcessOwner } from '../system/process-owner';
import type { ModelServer } from './model-server';
import { gpuMemoryByServer } from './server-gpu-memory';

const ID = 'b2f1c0ffee00112233445566778899aabbccddeeff00112233445566778899aa';

function server(name: string, id: string): ModelServer {
    return {
        id, name, origin: 'ai-workstation', state: 'running', health: 'none', image: 'img', model: null, catalogId: null,
        api: 'openai', ports: [], endpoint: null, gpus: { kind: 'all' }, startedAt: null, exitCode: null, systemdUnit: null,
        pid: null, labels: {},
    };
}

const app = (pid: number, mib: number | null): ComputeApp => ({ pid, processName: 'llama-server', usedMemoryMiB: mib, gpuUuid: 'GPU-1', gpuBusId: null });

test('sums the processes of each container, matched by the id in its cgroup', () => {
    const owners = new Map<number, ProcessOwner | null>([
        [10, { kind: 'container', engine: 'podman', id: ID, unit: null }],
        [11, { kind: 'container', engine: 'podman', id: ID.slice(0, 12), unit: 'llama.service' }],
        [12, { kind: 'unit', unit: 'ollama.service' }],
        [13, null],
    ]);
    const memory = gpuMemoryByServer([server('llama', ID), server('other', 'f'.repeat(64))],
                                     [app(10, 3000), app(11, 512), app(12, 9000), app(13, 100)], owners);
    expect([...memory]).toEqual([['llama', 3512]]);
});

test('a process whose memory nvidia-smi did not report counts as 0 MiB, not as missing', () => {
    const owners = new Map<number, ProcessOwner | null>([[10, { kind: 'container', engine: 'podman', id: ID, unit: null }]]);
    expect(gpuMemoryByServer([server('llama', ID)], [app(10, null)], owners).get('llama')).toBe(0);
});
