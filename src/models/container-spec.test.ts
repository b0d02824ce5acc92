// The body of libpod's POST /containers/create for a plan: the hardening it promises
// (no capabilities, no privilege gain, the model read-only, the chosen address, the
// private network), the memory limit in bytes, CDI devices, and the healthcheck timing
// in the nanoseconds libpod expects.
import { HEALTH_TIMING, cdiDevices, containerCreateBody } from './container-spec';
import { samplePlan } from '../../test/unit/server-plan';
import { PRIVATE_NETWORK, type ServerPlan } from './model-server';

function plan(overrides: Partial<ServerPlan> = {}): ServerPlan {
    return samplePlan({
        hostPort: 18080,
        command: ['--model', '/models/qwen2.5-7b-q4.gguf', '--host', '0.0.0.0', '--port', '8080', '--n-gpu-layers', '999'],
        env: { LLAMA_ARG_THREADS: '8' },
        ...overrides,
    });
}

const SECOND_NS = 1_000_000_000;

test('the whole body for a GPU server', () => {
    expect(containerCreateBody(plan())).toEqual({
        name: 'llama',
        image: 'ghcr.io/ggml-org/llama.cpp:server-cuda',
        command: ['--model', '/models/qwen2.5-7b-q4.gguf', '--host', '0.0.0.0', '--port', '8080', '--n-gpu-layers', '999'],
        env: { LLAMA_ARG_THREADS: '8' },
        labels: plan().labels,
        cap_drop: ['ALL'],
        no_new_privileges: true,
        read_only_filesystem: true,
        mounts: [{
            type: 'bind', source: '/var/lib/models/qwen2.5-7b-q4.gguf', destination: '/models/qwen2.5-7b-q4.gguf',
            options: ['ro', 'nosuid', 'nodev'],
        }],
        portmappings: [{ host_ip: '127.0.0.1', host_port: 18080, container_port: 8080, protocol: 'tcp' }],
        netns: { nsmode: 'bridge' },
        Networks: { 'ai-workstation': {} },
        resource_limits: { memory: { limit: 16 * 1024 ** 3 } },
        devices: [{ path: 'nvidia.com/gpu=all' }],
        healthconfig: {
            Test: ['CMD', 'curl', '-fsS', 'http://127.0.0.1:8080/health'],
            Interval: 30 * SECOND_NS,
            Timeout: 5 * SECOND_NS,
            Retries: 3,
            StartPeriod: 60 * SECOND_NS,
        },
    });
});

test('the private network is the one nftables watches', () => {
    expect(PRIVATE_NETWORK).toBe('ai-workstation');
    expect(Object.keys(containerCreateBody(plan()).Networks)).toEqual(['ai-workstation']);
});

test('the healthcheck timing comes from HEALTH_TIMING, in nanoseconds', () => {
    const health = containerCreateBody(plan()).healthconfig;
    expect(health?.Interval).toBe(HEALTH_TIMING.intervalS * 1e9);
    expect(health?.Timeout).toBe(HEALTH_TIMING.timeoutS * 1e9);
    expect(health?.StartPeriod).toBe(HEALTH_TIMING.startPeriodS * 1e9);
    expect(health?.Retries).toBe(HEALTH_TIMING.retries);
    // shorter than the interval, or checks would pile up
    expect(HEALTH_TIMING.timeoutS).toBeLessThan(HEALTH_TIMING.intervalS);
});

test('no health command, no healthconfig: the image\'s own stays', () => {
    expect(containerCreateBody(plan({ healthCmd: null }))).not.toHaveProperty('healthconfig');
});

test('exposed on all interfaces: the mapping has no host address (as `-p 18080:8080`) and nothing else changes', () => {
    const body = containerCreateBody(plan({ hostAddress: '0.0.0.0' }));
    expect(body.portmappings).toEqual([{ host_ip: '', host_port: 18080, container_port: 8080, protocol: 'tcp' }]);
    expect(body.cap_drop).toEqual(['ALL']);
    expect(body.Networks).toEqual({ 'ai-workstation': {} });
});

test('a root file system the server writes to is left writable; the rest of the hardening is not', () => {
    const body = containerCreateBody(plan({ readOnlyRoot: false }));
    expect(body.read_only_filesystem).toBe(false);
    expect(body.no_new_privileges).toBe(true);
    expect(body.mounts[0].options).toEqual(['ro', 'nosuid', 'nodev']);
});

test.each([
    ['512m', 512 * 1024 ** 2],
    ['16g', 16 * 1024 ** 3],
    ['32g', 32 * 1024 ** 3],
])('memory limit %s is %d bytes', (limit, bytes) => {
    expect(containerCreateBody(plan({ memoryLimit: limit })).resource_limits).toEqual({ memory: { limit: bytes } });
});

test.each(['bad', '', '16gb'])('a memory limit nobody validated (%j) throws instead of creating an unlimited server', limit => {
    expect(() => containerCreateBody(plan({ memoryLimit: limit }))).toThrow(/was not validated/);
});

test('shm size in bytes where the plan has one (vLLM)', () => {
    expect(containerCreateBody(plan({ shmSize: '8g' })).shm_size).toBe(8 * 1024 ** 3);
    expect(containerCreateBody(plan())).not.toHaveProperty('shm_size');
});

describe('GPUs as CDI devices', () => {
    test('none: no devices', () => {
        expect(cdiDevices({ kind: 'none' })).toEqual([]);
        expect(containerCreateBody(plan({ gpus: { kind: 'none' } })).devices).toEqual([]);
    });

    test('all: the CDI name for every GPU', () => {
        expect(cdiDevices({ kind: 'all' })).toEqual(['nvidia.com/gpu=all']);
    });

    test('some: indexes and UUIDs get the vendor prefix, full CDI names are kept', () => {
        const gpus = { kind: 'some' as const, devices: ['0', 'GPU-6f1b2c3d-aaaa-bbbb-cccc-0123456789ab', 'nvidia.com/gpu=1'] };
        expect(cdiDevices(gpus)).toEqual([
            'nvidia.com/gpu=0', 'nvidia.com/gpu=GPU-6f1b2c3d-aaaa-bbbb-cccc-0123456789ab', 'nvidia.com/gpu=1',
        ]);
        expect(containerCreateBody(plan({ gpus })).devices).toEqual([
            { path: 'nvidia.com/gpu=0' }, { path: 'nvidia.com/gpu=GPU-6f1b2c3d-aaaa-bbbb-cccc-0123456789ab' }, { path: 'nvidia.com/gpu=1' },
        ]);
    });
});
