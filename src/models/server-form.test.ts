// The create dialog's fields before anything reaches podman (DESIGN decision 3), and the
// plan they make with the shipped catalog's entries: placeholders filled, GPU arguments
// only with GPUs, the CPU image where there is one, 127.0.0.1 unless asked otherwise.
import { shippedCatalog, type CatalogEntry } from './catalog';
import { LABEL, type ServerPlan } from './model-server';
import {
    MODEL_MOUNT_ROOT, contextProblem, imageProblem, memoryBytes, memoryProblem, modelMountProblem, nameProblem,
    planServer, portProblem, splitArguments, type ServerForm,
} from './server-form';

const catalog = shippedCatalog();
const entry = (id: string): CatalogEntry => {
    const found = catalog.find(e => e.id === id);
    if (!found)
        throw new Error(`no ${id} in the shipped catalog`);
    return found;
};

function form(overrides: Partial<ServerForm> = {}): ServerForm {
    return {
        name: 'llama',
        image: '',
        modelPath: '/var/lib/models/qwen2.5-7b-instruct-q4_k_m.gguf',
        gpus: { kind: 'all' },
        hostPort: '8080',
        containerPort: '',
        exposeOnAllInterfaces: false,
        memoryLimit: '16g',
        contextSize: '4096',
        extraArgs: '',
        ...overrides,
    };
}

function planOf(id: string, overrides: Partial<ServerForm> = {}, taken: string[] = []): ServerPlan {
    const result = planServer(entry(id), form(overrides), taken);
    if (!result.ok)
        throw new Error(`refused: ${JSON.stringify(result.problems)}`);
    return result.plan;
}

function problemsOf(id: string, overrides: Partial<ServerForm>, taken: string[] = []) {
    const result = planServer(entry(id), form(overrides), taken);
    if (result.ok)
        throw new Error('expected the form to be refused');
    return result.problems;
}

describe('name', () => {
    test.each(['llama', 'qwen2.5-7b', 'A_1', 'x', '7b', 'a'.repeat(63)])('%s is a name', name => {
        expect(nameProblem(name, [])).toBeNull();
    });

    test('an empty name asks for one', () => {
        expect(nameProblem('', [])).toBe("Give the server a name.");
    });

    test.each([
        'a;b', '$(x)', '`id`', 'my server', ' llama', 'a/b', 'a:b', "it's", 'a|b', 'a&b', '-llama', '.hidden', '_x',
        'llama\n', 'ü', 'a'.repeat(64),
    ])('%j is refused', name => {
        expect(nameProblem(name, [])).toMatch(/letters, digits/);
    });

    test('a name a container has already is refused, naming it', () => {
        expect(nameProblem('llama', ['ollama', 'llama'])).toBe("A container named llama exists already.");
        expect(nameProblem('llama2', ['ollama', 'llama'])).toBeNull();
    });

    test('the plan trims blanks around the name before checking it', () => {
        expect(planOf('llama-cpp', { name: '  llama  ' }).name).toBe('llama');
        expect(problemsOf('llama-cpp', { name: ' llama ' }, ['llama']).name).toMatch(/exists already/);
    });
});

describe('image (custom entries)', () => {
    test.each([
        'quay.io/ramalama/cuda:latest',
        'docker.io/vllm/vllm-openai:v0.6.3',
        'localhost/aiws-echo-server:latest',
        'localhost:5000/team/llama.cpp:server-cuda',
        'ollama/ollama',
        `ghcr.io/ggml-org/llama.cpp@sha256:${'a'.repeat(64)}`,
    ])('%s is an image', image => {
        expect(imageProblem(image)).toBeNull();
    });

    test.each([
        'Quay.io/Ramalama/CUDA', 'quay.io/ramalama/cuda latest', 'quay.io/x;rm -rf /', '$(id)',
        // a leading '-' would be read as options where Quadlet's Image= reaches podman's argv
        '-quay.io/x', '--rm/x', '.quay.io/x',
        'quay.io/x:', 'quay.io/x@sha256:abc', `quay.io/${'a'.repeat(256)}`,
    ])('%j is refused', image => {
        expect(imageProblem(image)).toMatch(/not an image reference/);
    });

    test('an empty image asks for one', () => {
        expect(imageProblem('')).toMatch(/Give the image/);
    });
});

describe('ports', () => {
    test.each(['1', '80', '443', '1023', '8080', ' 8080 ', '65535'])('%j is a port', port => {
        expect(portProblem(port)).toBeNull();
    });

    // the form has no rule of its own about ports under 1024: the rootful podman service
    // publishes them, and the catalog only keeps its own defaults at 1024 and above
    test('a privileged host port is allowed and planned as given', () => {
        expect(planOf('llama-cpp', { hostPort: '80' }).hostPort).toBe(80);
    });

    test.each(['0', '70000', '65536', '80a', '-1', '8.5', '', ' ', '0x50', '123456', '8 080'])('%j is refused', port => {
        expect(portProblem(port)).toBe("A port is a number from 1 to 65535.");
    });
});

describe('memory limit', () => {
    test.each([
        ['16g', 16 * 1024 ** 3],
        ['16G', 16 * 1024 ** 3],
        ['512m', 512 * 1024 ** 2],
        ['2048k', 2048 * 1024],
        ['1073741824', 1024 ** 3],
        ['100b', 100],
        [' 32g ', 32 * 1024 ** 3],
    ])('%j is %d bytes', (text, bytes) => {
        expect(memoryBytes(text)).toBe(bytes);
    });

    test.each(['bad', '', '16gb', '1.5g', '16 g', '-1g', '16t', 'g'])('%j is not a memory size', text => {
        expect(memoryBytes(text)).toBeNull();
        expect(memoryProblem(text)).toMatch(/number with m or g/);
    });

    test('less than 64m is refused; 64m is enough', () => {
        expect(memoryProblem('63m')).toBe("A model server needs at least 64m of memory.");
        expect(memoryProblem('1024')).toBe("A model server needs at least 64m of memory.");
        expect(memoryProblem('64m')).toBeNull();
        expect(memoryProblem('16g')).toBeNull();
    });

    test('the plan keeps podman\'s form, lower-cased', () => {
        expect(planOf('llama-cpp', { memoryLimit: ' 16G ' }).memoryLimit).toBe('16g');
    });
});

describe('context size', () => {
    test.each(['128', '4096', '131072', '12345678'])('%s tokens is a context size', text => {
        expect(contextProblem(text)).toBeNull();
    });

    test.each(['127', '99', '0', '', '4k', '4096.5', '-4096', '123456789', 'lots'])('%j is refused', text => {
        expect(contextProblem(text)).toBe("The context size is a number of tokens, at least 128.");
    });

    test('leading zeros do not reach the command', () => {
        expect(planOf('llama-cpp', { contextSize: '04096' }).command).toContain('4096');
        expect(planOf('llama-cpp', { contextSize: '04096' }).command).not.toContain('04096');
    });
});

describe('splitArguments', () => {
    const args = (text: string) => {
        const result = splitArguments(text);
        if (!result.ok)
            throw new Error(`refused: ${result.reason}`);
        return result.args;
    };
    const refusal = (text: string) => {
        const result = splitArguments(text);
        if (result.ok)
            throw new Error(`accepted as ${JSON.stringify(result.args)}`);
        return result.reason;
    };

    test('words split on blanks and tabs, runs of them count once', () => {
        expect(args('--temp 0.7  --top-k\t40 ')).toEqual(['--temp', '0.7', '--top-k', '40']);
        expect(args('')).toEqual([]);
        expect(args('   ')).toEqual([]);
    });

    test('quotes hold blanks, and are removed', () => {
        expect(args(`--system-prompt 'You are a "helpful" assistant.'`)).toEqual(['--system-prompt', 'You are a "helpful" assistant.']);
        expect(args(`--chat-template "it's chatml"`)).toEqual(['--chat-template', "it's chatml"]);
        expect(args(`--alias=my' 'model`)).toEqual(['--alias=my model']);
    });

    test('an empty quoted word is still a word', () => {
        expect(args(`--api-key '' --verbose`)).toEqual(['--api-key', '', '--verbose']);
    });

    test('backslashes: outside quotes they escape anything, inside double quotes only " and \\', () => {
        expect(args('a\\ b c')).toEqual(['a b', 'c']);
        expect(args('"say \\"hi\\"" "C:\\\\models" "\\n"')).toEqual(['say "hi"', 'C:\\models', '\\n']);
        expect(args("'\\'")).toEqual(['\\']);
        expect(args(`'it'\\''s'`)).toEqual(["it's"]);
    });

    test('nothing is expanded: $VAR, ~ and * stay as typed', () => {
        expect(args('--path $HOME/models ~ *.gguf')).toEqual(['--path', '$HOME/models', '~', '*.gguf']);
    });

    test.each(['--x $(id)', '--x `id`', '--x ${HOME}', "--x '$(quoted)'"])('command substitution %j is refused', text => {
        expect(refusal(text)).toMatch(/No shell runs these arguments/);
    });

    test.each(['--a\n--b', '--a\r', '--a\0'])('%j: more than one line is refused', text => {
        expect(refusal(text)).toBe("Arguments go on one line.");
    });

    test('an open quote and a trailing backslash are refused', () => {
        expect(refusal(`--system-prompt 'You are`)).toBe("A ' quote is not closed.");
        expect(refusal('--system-prompt "You are')).toBe('A " quote is not closed.');
        expect(refusal('--verbose \\')).toBe("The arguments end with a lone backslash.");
    });

    test('the plan refuses what splitArguments refuses, and keeps the other fields checked', () => {
        const problems = problemsOf('llama-cpp', { extraArgs: '--x $(id)', hostPort: '0' });
        expect(problems.extraArgs).toMatch(/No shell runs/);
        expect(problems.hostPort).toMatch(/from 1 to 65535/);
    });
});

describe('model path', () => {
    test.each(['/srv/models/a:b.gguf', '/srv/models/a,b.gguf'])('%s cannot be mounted', path => {
        expect(modelMountProblem(path)).toMatch(/may not contain ':' or ','/);
        expect(problemsOf('llama-cpp', { modelPath: path }).modelPath).toMatch(/may not contain/);
    });

    test('an empty path asks for one', () => {
        expect(problemsOf('llama-cpp', { modelPath: '   ' }).modelPath).toBe("Pick the model on this host.");
    });

    test('a folder is mounted by its last name, without the trailing slash', () => {
        const plan = planOf('ollama', { modelPath: '/var/lib/ollama/models/', hostPort: '11434' });
        expect(plan.modelHostPath).toBe('/var/lib/ollama/models');
        expect(plan.modelContainerPath).toBe(`${MODEL_MOUNT_ROOT}/models`);
    });
});

describe('planServer with the shipped catalog', () => {
    test('llama.cpp with every GPU: the whole plan', () => {
        expect(planOf('llama-cpp', { extraArgs: "--temp 0.7 --alias 'qwen 7b'" })).toEqual({
            name: 'llama',
            catalogId: 'llama-cpp',
            image: 'ghcr.io/ggml-org/llama.cpp:server-cuda',
            api: 'openai',
            modelHostPath: '/var/lib/models/qwen2.5-7b-instruct-q4_k_m.gguf',
            modelContainerPath: '/models/qwen2.5-7b-instruct-q4_k_m.gguf',
            hostAddress: '127.0.0.1',
            hostPort: 8080,
            containerPort: 8080,
            gpus: { kind: 'all' },
            memoryLimit: '16g',
            shmSize: null,
            command: [
                '--model', '/models/qwen2.5-7b-instruct-q4_k_m.gguf', '--host', '0.0.0.0', '--port', '8080',
                '--ctx-size', '4096', '--n-gpu-layers', '999', '--temp', '0.7', '--alias', 'qwen 7b',
            ],
            env: {},
            healthCmd: ['curl', '-fsS', 'http://127.0.0.1:8080/health'],
            healthPath: '/health',
            readOnlyRoot: true,
            labels: {
                [LABEL.managed]: 'true',
                [LABEL.catalog]: 'llama-cpp',
                [LABEL.model]: '/var/lib/models/qwen2.5-7b-instruct-q4_k_m.gguf',
                [LABEL.api]: 'openai',
                [LABEL.healthPath]: '/health',
                [LABEL.gpus]: 'all',
            },
        });
    });

    test('llama.cpp on CPU only: its CPU image, no GPU arguments', () => {
        const plan = planOf('llama-cpp', { gpus: { kind: 'none' }, contextSize: '8192' });
        expect(plan.image).toBe('ghcr.io/ggml-org/llama.cpp:server');
        expect(plan.command).toEqual(['--model', '/models/qwen2.5-7b-instruct-q4_k_m.gguf', '--host', '0.0.0.0', '--port', '8080', '--ctx-size', '8192']);
        expect(plan.labels[LABEL.gpus]).toBe('none');
    });

    test('some GPUs: the GPU image and arguments, the devices in the label', () => {
        const plan = planOf('llama-cpp', { gpus: { kind: 'some', devices: ['0', 'GPU-6f1b2c3d'] } });
        expect(plan.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda');
        expect(plan.command.slice(-2)).toEqual(['--n-gpu-layers', '999']);
        expect(plan.gpus).toEqual({ kind: 'some', devices: ['0', 'GPU-6f1b2c3d'] });
        expect(plan.labels[LABEL.gpus]).toBe('0,GPU-6f1b2c3d');
    });

    test('some GPUs with none picked is refused', () => {
        expect(problemsOf('llama-cpp', { gpus: { kind: 'some', devices: [] } }).gpus).toMatch(/Pick at least one GPU/);
    });

    test('exposing on all interfaces is the only way off 127.0.0.1', () => {
        expect(planOf('llama-cpp', { exposeOnAllInterfaces: true }).hostAddress).toBe('0.0.0.0');
        expect(planOf('llama-cpp', { exposeOnAllInterfaces: false }).hostAddress).toBe('127.0.0.1');
    });

    test('vLLM needs a GPU, has no CPU image, and brings its shm size and environment', () => {
        expect(problemsOf('vllm', { gpus: { kind: 'none' } }).gpus).toBe("vLLM (OpenAI-compatible server) needs an NVIDIA GPU.");
        const plan = planOf('vllm', { modelPath: '/srv/hf/Qwen2.5-7B-Instruct', hostPort: '8000', contextSize: '8192' });
        expect(plan.image).toBe('docker.io/vllm/vllm-openai:latest');
        expect(plan.containerPort).toBe(8000);
        expect(plan.shmSize).toBe('8g');
        expect(plan.readOnlyRoot).toBe(false);
        expect(plan.command).toEqual(['--model', '/models/Qwen2.5-7B-Instruct', '--host', '0.0.0.0', '--port', '8000', '--max-model-len', '8192']);
        expect(plan.env).toEqual({ HF_HUB_OFFLINE: '1', VLLM_NO_USAGE_STATS: '1', DO_NOT_TRACK: '1', HOME: '/tmp' });
        expect(plan.healthCmd).toEqual(['python3', '-c', "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')"]);
    });

    test('Ollama on CPU only keeps its one image; placeholders are filled in its environment', () => {
        const plan = planOf('ollama', { gpus: { kind: 'none' }, modelPath: '/var/lib/ollama', hostPort: '11434' });
        expect(plan.image).toBe('docker.io/ollama/ollama:latest');
        expect(plan.api).toBe('ollama');
        expect(plan.command).toEqual([]);
        expect(plan.env).toEqual({ OLLAMA_MODELS: '/models/ollama', OLLAMA_HOST: '0.0.0.0:11434', OLLAMA_NOPRUNE: '1', HOME: '/tmp' });
        expect(plan.labels[LABEL.api]).toBe('ollama');
        expect(plan.labels[LABEL.healthPath]).toBe('/api/version');
    });

    test('custom image: image and container port from the form, checked there', () => {
        const plan = planOf('custom', {
            image: 'quay.io/ramalama/cuda:0.5', containerPort: '8000', hostPort: '18000',
            extraArgs: 'llama-server --model {model} --port {port} -c {context}',
        });
        expect(plan.image).toBe('quay.io/ramalama/cuda:0.5');
        expect(plan.containerPort).toBe(8000);
        expect(plan.hostPort).toBe(18000);
        expect(plan.command).toEqual(['llama-server', '--model', '/models/qwen2.5-7b-instruct-q4_k_m.gguf', '--port', '8000', '-c', '4096']);
        expect(plan.healthCmd).toBeNull();

        const problems = problemsOf('custom', { image: 'Not An Image', containerPort: '0' });
        expect(Object.keys(problems).sort()).toEqual(['containerPort', 'image']);
    });

    test('a catalog entry ignores the form\'s image and container port', () => {
        const plan = planOf('llama-cpp', { image: 'quay.io/evil/image', containerPort: 'nonsense' });
        expect(plan.image).toBe('ghcr.io/ggml-org/llama.cpp:server-cuda');
        expect(plan.containerPort).toBe(8080);
    });

    test('every field is checked at once', () => {
        const problems = problemsOf('vllm', {
            name: 'a;b', modelPath: '', gpus: { kind: 'none' }, hostPort: '70000', memoryLimit: 'bad', contextSize: '12',
            extraArgs: '"open',
        }, []);
        expect(Object.keys(problems).sort()).toEqual(['contextSize', 'extraArgs', 'gpus', 'hostPort', 'memoryLimit', 'modelPath', 'name']);
    });
});
