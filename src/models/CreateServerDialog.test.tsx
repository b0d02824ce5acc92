import { act, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readFixture } from '../../test/unit/fixtures';
import { recordedServers } from '../../test/unit/fake-podman-client';
import { parseCdiSpec } from '../gpus/cdi-spec-parser';
import { shippedCatalog } from './catalog';
import { CreateFailed } from './create-server';
import { CreateServerDialog, type CreateRequest } from './CreateServerDialog';
import { parseLibpodVersion, type PodmanVersion } from './libpod-version';
import type { ModelPathReport } from './model-path-parser';
import type { CdiFacts } from './use-cdi';

const catalog = shippedCatalog();
const servers = recordedServers();
const takenNames = servers.map(s => s.name);

const GGUF_FILE: ModelPathReport = { type: 'file', link: false, readable: true, size: 637699776, magic: '47475546' };

const cdiSpec = parseCdiSpec('/etc/cdi/nvidia.yaml', readFixture('cdi/nvidia-575.64.03-ubuntu-salilkadam.yaml'));
const podman431 = parseLibpodVersion(readFixture('podman/libpod-version-4.3.1.json'));
const podman55: PodmanVersion = { version: '5.5.2', major: 5, minor: 5 };

const cdiOk: CdiFacts = { specs: [cdiSpec], loadedDriver: cdiSpec.driverVersion };

function renderDialog({ cdi = null, podmanVersion = podman431, checkPath = jest.fn((_path: string) => Promise.resolve(GGUF_FILE)),
    onCreate = jest.fn((_request: CreateRequest, _onStep: (line: string) => void) => Promise.resolve()) }: {
    cdi?: CdiFacts | null;
    podmanVersion?: PodmanVersion | null;
    checkPath?: jest.Mock<Promise<ModelPathReport>, [string]>;
    onCreate?: jest.Mock<Promise<void>, [CreateRequest, (line: string) => void]>;
} = {}) {
    const onClose = jest.fn();
    render(<CreateServerDialog catalog={catalog} servers={servers} takenNames={takenNames} cdi={cdi} podmanVersion={podmanVersion}
        checkPath={checkPath} onCreate={onCreate} onClose={onClose} />);
    return { checkPath, onCreate, onClose };
}

const input = (id: string) => document.getElementById(id) as HTMLInputElement;
const helperOf = (field: string) => document.getElementById(`${field}-helper`);

async function retype(id: string, text: string) {
    await userEvent.clear(input(id));
    if (text !== '')
        await userEvent.type(input(id), text);
}

async function leave() {
    await userEvent.click(document.getElementById('create-server-title') as HTMLElement);
}

const submit = () => userEvent.click(screen.getByRole('button', { name: 'Create and start' }));

test('starts with a free name and the catalog entry\'s port, on the first entry', () => {
    renderDialog();
    expect(screen.getByRole('dialog')).toHaveTextContent('Create a model server');
    expect((document.getElementById('create-entry') as HTMLSelectElement).value).toBe('llama-cpp');
    expect(input('create-name').value).toBe('llama-cpp-1');
    expect(input('create-port').value).toBe('8080');
    expect(input('create-model').value).toBe('');
    // a catalog entry brings its own image
    expect(document.getElementById('create-image')).toBeNull();
});

test('a name with shell characters is refused once the field is left', async () => {
    renderDialog();
    await userEvent.clear(input('create-name'));
    await userEvent.type(input('create-name'), 'llama;rm -rf');
    expect(helperOf('name')).toBeNull();
    await leave();
    expect(helperOf('name')).toHaveTextContent("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 63 characters.");
    expect(input('create-name')).toHaveAttribute('aria-invalid', 'true');
    await retype('create-name', 'aiws-rec-ours');
    expect(helperOf('name')).toHaveTextContent('A container named aiws-rec-ours exists already.');
    await retype('create-name', 'my-llama');
    expect(helperOf('name')).toBeNull();
});

test('a port out of range, and a port a running server publishes', async () => {
    renderDialog();
    await retype('create-port', '70000');
    await leave();
    expect(helperOf('hostPort')).toHaveTextContent('A port is a number from 1 to 65535.');
    await retype('create-port', '18181');
    expect(helperOf('hostPort')).toHaveTextContent('Port 18181 is already published by aiws-rec-ours: pick another one.');
    // aiws-rec-exited published 18185, but it is not running
    await retype('create-port', '18185');
    expect(helperOf('hostPort')).toBeNull();
});

test('problems of untouched fields appear on submit, and nothing is created', async () => {
    const { onCreate, checkPath } = renderDialog();
    await retype('create-port', '18184');
    await submit();
    expect(helperOf('modelPath')).toHaveTextContent('Pick the model on this host.');
    expect(helperOf('hostPort')).toHaveTextContent('Port 18184 is already published by aiws-rec-public: pick another one.');
    expect(helperOf('name')).toBeNull();
    expect(onCreate).not.toHaveBeenCalled();
    expect(checkPath).not.toHaveBeenCalled();
});

test('the model path is checked on the host when it is left: a GGUF file is found', async () => {
    const { checkPath } = renderDialog();
    await userEvent.type(input('create-model'), '/srv/models/tiny.gguf');
    expect(checkPath).not.toHaveBeenCalled();
    await leave();
    expect(checkPath).toHaveBeenCalledTimes(1);
    expect(checkPath).toHaveBeenCalledWith('/srv/models/tiny.gguf');
    expect(await screen.findByText('Found a GGUF model file.')).toBeInTheDocument();
    expect(input('create-model')).not.toHaveAttribute('aria-invalid', 'true');
});

test('the host\'s refusal of the model path is shown, and blocks the create', async () => {
    const checkPath = jest.fn((_path: string): Promise<ModelPathReport> => Promise.resolve({ type: 'directory', link: false, readable: true,
        contents: { hasConfigJson: true, safetensors: 2, gguf: 0, ollamaStore: false, entries: 4 } }));
    const { onCreate } = renderDialog({ checkPath });
    await userEvent.type(input('create-model'), '/srv/models/qwen');
    await leave();
    expect(await screen.findByText('This is a folder, but the server loads a single .gguf file.')).toBeInTheDocument();
    expect(input('create-model')).toHaveAttribute('aria-invalid', 'true');
    await submit();
    expect(onCreate).not.toHaveBeenCalled();
});

test('a path that could not be checked says why; a relative path is refused without asking the host', async () => {
    const checkPath = jest.fn((_path: string): Promise<ModelPathReport> => Promise.reject(new Error('the model path check script failed: Permission denied')));
    renderDialog({ checkPath });
    await userEvent.type(input('create-model'), 'models/tiny.gguf');
    await leave();
    expect(screen.getByText('The path must be absolute: it starts with /.')).toBeInTheDocument();
    expect(checkPath).not.toHaveBeenCalled();
    await retype('create-model', '/srv/models/tiny.gguf');
    await leave();
    expect(await screen.findByText('the model path check script failed: Permission denied')).toBeInTheDocument();
});

test('create: onCreate gets the entry and the form; progress is shown; the dialog closes when it is done', async () => {
    let finish: () => void = () => {};
    const onCreate = jest.fn((_request: CreateRequest, onStep: (line: string) => void) => new Promise<void>(resolve => {
        onStep('Checking the model file');
        onStep('Starting the server');
        finish = resolve;
    }));
    const { onClose, checkPath } = renderDialog({ onCreate });
    await retype('create-name', 'tiny');
    await retype('create-port', '18200');
    await userEvent.type(input('create-model'), '/srv/models/tiny.gguf');
    await leave();
    await screen.findByText('Found a GGUF model file.');
    await userEvent.click(document.getElementById('create-boot') as HTMLElement);
    await submit();
    expect(checkPath).toHaveBeenCalledTimes(1);
    expect(onCreate).toHaveBeenCalledTimes(1);
    const [request] = onCreate.mock.calls[0];
    expect(request.entry).toBe(catalog.find(e => e.id === 'llama-cpp'));
    expect(request.startAtBoot).toBe(true);
    expect(request.form).toEqual({
        name: 'tiny',
        image: 'ghcr.io/ggml-org/llama.cpp:server-cuda',
        modelPath: '/srv/models/tiny.gguf',
        gpus: { kind: 'none' },
        hostPort: '18200',
        containerPort: '8080',
        exposeOnAllInterfaces: false,
        memoryLimit: '16g',
        contextSize: '4096',
        extraArgs: '',
    });
    expect(document.getElementById('create-steps')).toHaveTextContent('Checking the model fileStarting the server');
    expect(screen.getByRole('button', { name: 'Cancel' })).toBeDisabled();
    expect(onClose).not.toHaveBeenCalled();
    finish();
    await waitFor(() => expect(onClose).toHaveBeenCalledTimes(1));
});

test('a failed create shows why and keeps the dialog open with the fields as they were', async () => {
    const onCreate = jest.fn((_request: CreateRequest, onStep: (line: string) => void) => {
        onStep('Starting the server');
        return Promise.reject(new CreateFailed('Starting the server', 'address already in use'));
    });
    const { onClose } = renderDialog({ onCreate });
    await retype('create-name', 'tiny');
    await retype('create-port', '18200');
    await userEvent.type(input('create-model'), '/srv/models/tiny.gguf');
    await leave();
    await screen.findByText('Found a GGUF model file.');
    await submit();
    expect(onCreate).toHaveBeenCalledTimes(1);
    expect(await screen.findByText('The server was not created')).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent('address already in use');
    expect(onClose).not.toHaveBeenCalled();
    expect(input('create-name').value).toBe('tiny');
    expect(input('create-port').value).toBe('18200');
    expect(input('create-model').value).toBe('/srv/models/tiny.gguf');
    expect(screen.getByRole('button', { name: 'Create and start' })).toBeEnabled();
    // and it can be tried again
    await submit();
    expect(onCreate).toHaveBeenCalledTimes(2);
});

test('a custom image shows the image field and checks it', async () => {
    renderDialog();
    await userEvent.selectOptions(document.getElementById('create-entry') as HTMLSelectElement, 'custom');
    expect(input('create-image')).toBeInTheDocument();
    expect(input('create-image').value).toBe('');
    expect(input('create-name').value).toBe('custom-1');
    expect(screen.getByText('Any image that serves an OpenAI-compatible API.')).toBeInTheDocument();
    await userEvent.type(input('create-image'), '-it/escape');
    await leave();
    expect(helperOf('image')).toHaveTextContent('This is not an image reference: registry/name:tag, lower-case, no spaces.');
    await retype('create-image', 'quay.io/ramalama/cuda:latest');
    expect(helperOf('image')).toBeNull();
});

test('without a CDI spec: the warning, CPU only by default', () => {
    renderDialog({ cdi: null });
    expect(document.getElementById('create-cdi-warning')).toHaveTextContent('No NVIDIA CDI spec on this host');
    expect(input('create-gpus-none')).toBeChecked();
    expect(input('create-gpus-all')).not.toBeChecked();
});

test('with a CDI spec for the loaded driver: no warning, all GPUs by default, one box per device', () => {
    expect(cdiSpec.driverVersion).toBe('575.64.03');
    renderDialog({ cdi: cdiOk });
    expect(document.getElementById('create-cdi-warning')).toBeNull();
    expect(input('create-gpus-all')).toBeChecked();
    const boxes = [...document.querySelectorAll<HTMLInputElement>('input[id^="create-gpu-"]')].map(box => box.id);
    expect(boxes).toEqual(cdiSpec.devices.filter(d => d !== 'all').map(d => `create-gpu-${d}`));
    expect(boxes.length).toBeGreaterThan(0);
});

test('a CDI spec for another driver: the stale warning', () => {
    renderDialog({ cdi: { specs: [cdiSpec], loadedDriver: '580.65.06' } });
    expect(document.getElementById('create-cdi-warning')).toHaveTextContent(
        '/etc/cdi/nvidia.yaml was generated for driver 575.64.03, but driver 580.65.06 is loaded');
});

test('the answer for a path the admin has changed since is not shown for the new one', async () => {
    const answers: ((report: ModelPathReport) => void)[] = [];
    const checkPath = jest.fn((_path: string) => new Promise<ModelPathReport>(resolve => answers.push(resolve)));
    renderDialog({ checkPath });
    await userEvent.type(input('create-model'), '/srv/models/tiny.gguf');
    await leave();
    expect(screen.getByText('Checking…')).toBeInTheDocument();
    await userEvent.type(input('create-model'), '.part');
    answers[0](GGUF_FILE);
    await act(async () => { await Promise.resolve() });
    expect(screen.queryByText('Found a GGUF model file.')).toBeNull();
    expect(screen.getByText('A file or folder on this host; it is mounted read-only.')).toBeInTheDocument();
    await leave();
    expect(checkPath).toHaveBeenLastCalledWith('/srv/models/tiny.gguf.part');
    answers[1]({ type: 'missing', hiddenBy: null });
    expect(await screen.findByText('Nothing exists at this path.')).toBeInTheDocument();
});

test('start at boot on a podman without Quadlet (before 4.4) says what that means', async () => {
    expect(podman431.version).toBe('4.3.1');
    renderDialog({ podmanVersion: podman431 });
    expect(document.getElementById('create-boot-no-quadlet')).toBeNull();
    await userEvent.click(document.getElementById('create-boot') as HTMLElement);
    expect(document.getElementById('create-boot-no-quadlet')).toHaveTextContent(
        'podman 4.3.1 has no Quadlet (it came with podman 4.4): the file is written, but systemd starts the server at boot only once podman is updated.');
});

test('start at boot on a podman with Quadlet: no warning', async () => {
    renderDialog({ podmanVersion: podman55 });
    await userEvent.click(document.getElementById('create-boot') as HTMLElement);
    expect(input('create-boot')).toBeChecked();
    expect(document.getElementById('create-boot-no-quadlet')).toBeNull();
});
