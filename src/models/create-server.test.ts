// Creating a server step by step against recording fake operations: the order of the
// steps, the pull only when the image is missing, the boot unit only when asked, and the
// roll-back that leaves nothing half-created behind whichever step fails.
import { HostError } from '../../pkg/lib/host-error';
import { readFixture } from '../../test/unit/fixtures';
import { shippedCatalog, type CatalogEntry } from './catalog';
import { containerCreateBody } from './container-spec';
import { CreateFailed, SETTLE_MS, createServer, portTakenBy, type CreateOperations } from './create-server';
import { parseContainerList } from './libpod-containers-parser';
import { parseContainerInspect, type ContainerDetails } from './libpod-inspect-parser';
import type { ServerPlan } from './model-server';
import type { ModelPathReport } from './model-path-parser';
import { planServer } from './server-form';

const llamaCpp = shippedCatalog().find(e => e.id === 'llama-cpp') as CatalogEntry;

function makePlan(): ServerPlan {
    const result = planServer(llamaCpp, {
        name: 'llama', image: '', modelPath: '/srv/models/tiny.gguf', gpus: { kind: 'none' }, hostPort: '18181',
        containerPort: '', exposeOnAllInterfaces: false, memoryLimit: '256m', contextSize: '4096', extraArgs: '',
    }, []);
    if (!result.ok)
        throw new Error(JSON.stringify(result.problems));
    return result.plan;
}

/** aiws-rec-ours as podman 4.3.1 described it (a container this page made), with its state changed. */
const recordedDetails = (change: Partial<ContainerDetails> = {}): ContainerDetails => ({
    ...parseContainerInspect(readFixture('podman/libpod-container-inspect-ours-4.3.1.json')),
    ...change,
});

const GGUF_FILE: ModelPathReport = { type: 'file', link: false, readable: true, size: 4_683_073_184, magic: '47475546' };

const SERVER_LOG = 'llama_model_load: error loading model: failed to open /models/tiny.gguf: No such file or directory\nmain: exiting due to model loading error\n';

type Call = [keyof CreateOperations, ...unknown[]];

interface Fake {
    ops: CreateOperations;
    calls: Call[];
    names(): (keyof CreateOperations)[];
}

/** Operations that succeed unless told otherwise, recording every call with its arguments. */
function fakeOps(behaviour: Partial<{ [K in keyof CreateOperations]: CreateOperations[K] }> = {}): Fake {
    const calls: Call[] = [];
    const defaults: CreateOperations = {
        checkModelPath: async () => GGUF_FILE,
        mountSource: async path => `/run/sim-root${path}`,
        imageExists: async () => true,
        pullImage: async (_reference, onLine) => {
            onLine('Trying to pull ghcr.io/ggml-org/llama.cpp:server...');
            onLine('Writing manifest to image destination');
        },
        applyFirewall: async () => undefined,
        ensurePrivateNetwork: async () => ({ name: 'ai-workstation' }),
        create: async () => '6da563e7c49f',
        start: async () => undefined,
        inspect: async () => recordedDetails(),
        logsTail: async () => SERVER_LOG,
        remove: async () => undefined,
        installBootUnit: async plan => `${plan.name}.service`,
        sleep: async () => undefined,
    };
    const ops = {} as Record<keyof CreateOperations, (...args: unknown[]) => Promise<unknown>>;
    for (const name of Object.keys(defaults) as (keyof CreateOperations)[]) {
        const impl = (behaviour[name] ?? defaults[name]) as (...args: unknown[]) => Promise<unknown>;
        ops[name] = (...args: unknown[]) => {
            calls.push([name, ...args]);
            return impl(...args);
        };
    }
    return { ops: ops as unknown as CreateOperations, calls, names: () => calls.map(call => call[0]) };
}

const fail = (error: unknown) => async () => {
    throw error;
};

async function createFailure(promise: Promise<unknown>): Promise<CreateFailed> {
    try {
        await promise;
    } catch (error) {
        if (error instanceof CreateFailed)
            return error;
        throw error;
    }
    throw new Error('expected createServer to fail');
}

describe('the happy path', () => {
    test('image present, not at boot: the steps in order, nothing pulled, nothing removed', async () => {
        const fake = fakeOps();
        const steps: string[] = [];
        const result = await createServer(llamaCpp, makePlan(), false, fake.ops, text => steps.push(text));
        expect(result).toEqual({ unit: null });
        expect(fake.names()).toEqual([
            'checkModelPath', 'imageExists', 'applyFirewall', 'ensurePrivateNetwork', 'mountSource', 'create', 'start',
            'sleep', 'inspect',
        ]);
        expect(fake.calls).toContainEqual(['sleep', SETTLE_MS]);
        expect(steps).toEqual([
            'Checking the model',
            'Looking for image ghcr.io/ggml-org/llama.cpp:server',
            'Blocking outbound connections from model servers (nftables)',
            'Preparing the private network',
            'Creating the container',
            'Starting',
            'Checking that it runs',
        ]);
    });

    test('image missing, at boot: pulled after the look-up, the boot unit last', async () => {
        const fake = fakeOps({ imageExists: async () => false });
        const steps: string[] = [];
        const result = await createServer(llamaCpp, makePlan(), true, fake.ops, text => steps.push(text));
        expect(result).toEqual({ unit: 'llama.service' });
        expect(fake.names()).toEqual([
            'checkModelPath', 'imageExists', 'pullImage', 'applyFirewall', 'ensurePrivateNetwork', 'mountSource', 'create',
            'start', 'sleep', 'inspect', 'installBootUnit',
        ]);
        // the pull's own progress lines reach the dialog between its step and the next
        expect(steps.slice(2, 5)).toEqual([
            'Pulling ghcr.io/ggml-org/llama.cpp:server',
            'Trying to pull ghcr.io/ggml-org/llama.cpp:server...',
            'Writing manifest to image destination',
        ]);
        expect(steps[steps.length - 1]).toBe('Writing the Quadlet unit for boot');
    });

    test('the arguments: the host path checked, the mount source in the body, the plan itself for the boot unit', async () => {
        const fake = fakeOps();
        const plan = makePlan();
        await createServer(llamaCpp, plan, true, fake.ops, () => undefined);
        const args = (name: keyof CreateOperations) => fake.calls.find(call => call[0] === name)?.slice(1);
        expect(args('checkModelPath')).toEqual(['/srv/models/tiny.gguf']);
        expect(args('mountSource')).toEqual(['/srv/models/tiny.gguf']);
        expect(args('imageExists')).toEqual(['ghcr.io/ggml-org/llama.cpp:server']);
        expect(args('create')).toEqual([containerCreateBody({ ...plan, modelHostPath: '/run/sim-root/srv/models/tiny.gguf' })]);
        expect(args('start')).toEqual(['llama']);
        expect(args('inspect')).toEqual(['llama']);
        // the Quadlet file names the real host path, not the simulated root's
        expect(args('installBootUnit')).toEqual([plan]);
    });
});

describe('failures before anything exists', () => {
    test('a model the server cannot load stops at the check', async () => {
        const folder: ModelPathReport = {
            type: 'directory', link: false, readable: true,
            contents: { hasConfigJson: true, safetensors: 4, gguf: 0, ollamaStore: false, entries: 6 },
        };
        const fake = fakeOps({ checkModelPath: async () => folder });
        const error = await createFailure(createServer(llamaCpp, makePlan(), true, fake.ops, () => undefined));
        expect(error.step).toBe('Checking the model');
        expect(error.message).toBe("This is a folder, but the server loads a single .gguf file.");
        expect(fake.names()).toEqual(['checkModelPath']);
    });

    test('a model path that is missing stops at the check', async () => {
        const fake = fakeOps({ checkModelPath: async () => ({ type: 'missing', hiddenBy: null }) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.message).toBe("Nothing exists at this path.");
        expect(fake.names()).toEqual(['checkModelPath']);
    });

    test('the check itself failing on the host is the check\'s failure, with the host\'s error kept', async () => {
        const hostError = new HostError('exit', 'sh', 'sh: 1: cannot open', { exitStatus: 2, detail: 'sh: 1: cannot open' });
        const fake = fakeOps({ checkModelPath: fail(hostError) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.step).toBe('Checking the model');
        expect(error.reason).toBe(hostError);
        expect(fake.names()).toEqual(['checkModelPath']);
    });

    test('a pull that fails: nothing created, nothing to remove', async () => {
        const fake = fakeOps({
            imageExists: async () => false,
            pullImage: fail(new Error('initializing source docker://ghcr.io/ggml-org/llama.cpp:server: pinging container registry ghcr.io: dial tcp: lookup ghcr.io: no such host')),
        });
        const error = await createFailure(createServer(llamaCpp, makePlan(), true, fake.ops, () => undefined));
        expect(error.step).toBe('Pulling ghcr.io/ggml-org/llama.cpp:server');
        expect(error.message).toMatch(/no such host/);
        expect(fake.names()).toEqual(['checkModelPath', 'imageExists', 'pullImage']);
    });

    test('the firewall not loading: no server is created without it', async () => {
        const fake = fakeOps({ applyFirewall: fail(new Error('nft: Operation not permitted')) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.step).toBe('Blocking outbound connections from model servers (nftables)');
        expect(fake.names()).toEqual(['checkModelPath', 'imageExists', 'applyFirewall']);
    });

    test('create refused by podman: nothing exists, so nothing is removed', async () => {
        const fake = fakeOps({ create: fail(new Error('container name "llama" is already in use')) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.step).toBe('Creating the container');
        expect(fake.names()).not.toContain('remove');
        expect(fake.names()).not.toContain('start');
    });
});

describe('failures after the container exists: it is removed again', () => {
    test('start fails: removed, the step and podman\'s error kept', async () => {
        const podman = new HostError('http', 'podman API', 'Internal Server Error', {
            httpStatus: 500, detail: readFixture('podman/libpod-error-start-port-in-use-4.3.1.json'),
        });
        const fake = fakeOps({ start: fail(podman) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), true, fake.ops, () => undefined));
        expect(error.step).toBe('Starting');
        expect(error.message).toBe('Internal Server Error');
        expect(error.reason).toBe(podman);
        expect(fake.names()).toEqual([
            'checkModelPath', 'imageExists', 'applyFirewall', 'ensurePrivateNetwork', 'mountSource', 'create', 'start', 'remove',
        ]);
        expect(fake.calls[fake.calls.length - 1]).toEqual(['remove', 'llama']);
    });

    test('a server that exits at once: its last output in the error, removed, no boot unit', async () => {
        const fake = fakeOps({ inspect: async () => recordedDetails({ state: 'exited', exitCode: 1 }) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), true, fake.ops, () => undefined));
        expect(error.step).toBe('Starting');
        expect(error.message).toBe("The server exited at once (exit code 1).");
        expect(error.output).toBe(SERVER_LOG);
        expect(fake.names().slice(-3)).toEqual(['inspect', 'logsTail', 'remove']);
        expect(fake.names()).not.toContain('installBootUnit');
    });

    test('the runtime\'s error is added to the message; logs that cannot be read leave the output empty', async () => {
        const fake = fakeOps({
            inspect: async () => recordedDetails({ state: 'stopped', exitCode: 127, error: 'runc: exec: "llama-server": executable file not found in $PATH' }),
            logsTail: fail(new Error('no such container')),
        });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.message).toBe('The server exited at once (exit code 127). runc: exec: "llama-server": executable file not found in $PATH');
        expect(error.output).toBe('');
        expect(fake.names()).toContain('remove');
    });

    test('inspect failing: removed', async () => {
        const fake = fakeOps({ inspect: fail(new Error('no such container')) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.step).toBe('Checking that it runs');
        expect(fake.names().slice(-2)).toEqual(['inspect', 'remove']);
    });

    test('the boot unit cannot be written: the running server is removed, as it would not survive a reboot', async () => {
        const fake = fakeOps({ installBootUnit: fail(new HostError('access-denied', '/etc/containers/systemd/llama.container', 'Permission denied')) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), true, fake.ops, () => undefined));
        expect(error.step).toBe('Writing the Quadlet unit for boot');
        expect(fake.names().slice(-2)).toEqual(['installBootUnit', 'remove']);
    });

    test('a removal that fails too does not hide the first error', async () => {
        const fake = fakeOps({ start: fail(new Error('OCI runtime error')), remove: fail(new Error('container is running')) });
        const error = await createFailure(createServer(llamaCpp, makePlan(), false, fake.ops, () => undefined));
        expect(error.step).toBe('Starting');
        expect(error.message).toBe('OCI runtime error');
        expect(fake.names()).toContain('remove');
    });
});

describe('CreateFailed.describe', () => {
    test('without an underlying error: the step and the message, the server\'s output, nothing left behind', () => {
        const text = new CreateFailed('Starting', 'The server exited at once (exit code 1).', SERVER_LOG).describe();
        expect(text.summary).toBe('Starting failed: The server exited at once (exit code 1).');
        expect(text.detail).toBe(SERVER_LOG);
        expect(text.hint).toBe("Fix what the message says and create the server again. Nothing was left behind: a container made on the way was removed again, and the model files were not touched.");
    });

    test('with a host error: its own summary, detail and hint, then nothing left behind', () => {
        const body = readFixture('podman/libpod-error-start-port-in-use-4.3.1.json');
        const reason = new HostError('http', 'podman API', 'Internal Server Error', { httpStatus: 500, detail: body });
        const text = new CreateFailed('Starting', reason.message, '', reason).describe();
        expect(text.summary).toBe('Starting failed: podman API answered with HTTP status 500');
        expect(text.detail).toBe(body);
        expect(text.hint).toMatch(/^Check the service's log on the host\. /);
        expect(text.hint).toMatch(/Nothing was left behind/);
    });
});

describe('portTakenBy', () => {
    const servers = parseContainerList(readFixture('podman/libpod-containers-json-4.3.1.json'));

    test('a port a running server publishes is taken by it', () => {
        expect(portTakenBy(servers, 18080)?.name).toBe('aiws-test1');
        expect(portTakenBy(servers, 18181)?.name).toBe('aiws-rec-ours');
    });

    test('a stopped server does not hold its port; a port nobody publishes is free', () => {
        const exited = servers.find(s => s.name === 'aiws-rec-exited');
        expect(exited?.state).toBe('exited');
        expect(exited?.ports.map(p => p.hostPort)).toEqual([18185]);
        expect(portTakenBy(servers, 18185)).toBeNull();
        expect(portTakenBy(servers, 8080)).toBeNull();
        expect(portTakenBy([], 18080)).toBeNull();
    });
});
