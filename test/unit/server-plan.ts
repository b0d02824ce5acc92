// A plan the create dialog could have made for llama.cpp on all GPUs: the one input the
// container spec and the Quadlet file are both made from, for their tests.
import { LABEL, type ServerPlan } from '../../src/models/model-server';

/** llama.cpp's server with a Qwen 7B GGUF on all GPUs, port 8080 on 127.0.0.1; change what a test is about. */
export function samplePlan(overrides: Partial<ServerPlan> = {}): ServerPlan {
    return {
        name: 'llama',
        catalogId: 'llama-cpp',
        image: 'ghcr.io/ggml-org/llama.cpp:server-cuda',
        api: 'openai',
        modelHostPath: '/var/lib/models/qwen2.5-7b-q4.gguf',
        modelContainerPath: '/models/qwen2.5-7b-q4.gguf',
        hostAddress: '127.0.0.1',
        hostPort: 8080,
        containerPort: 8080,
        gpus: { kind: 'all' },
        memoryLimit: '16g',
        shmSize: null,
        command: ['--model', '/models/qwen2.5-7b-q4.gguf', '--port', '8080', '--host', '0.0.0.0', '-ngl', '999'],
        env: {},
        healthCmd: ['curl', '-fsS', 'http://127.0.0.1:8080/health'],
        healthPath: '/health',
        readOnlyRoot: true,
        labels: {
            [LABEL.managed]: 'true',
            [LABEL.catalog]: 'llama-cpp',
            [LABEL.model]: '/var/lib/models/qwen2.5-7b-q4.gguf',
            [LABEL.api]: 'openai',
            [LABEL.healthPath]: '/health',
            [LABEL.gpus]: 'all',
        },
        ...overrides,
    };
}
