import { act, renderHook, waitFor } from '@testing-library/react';
import { HostError } from '../../pkg/lib/host-error';
import type { RunOptions } from '../../pkg/lib/run';
import { readFixture } from '../../test/unit/fixtures';
import { fakePodmanClient, recordedServers, type FakePodmanClient } from '../../test/unit/fake-podman-client';
import { CATALOG_DIR } from './catalog';
import type { PodmanClient } from './podman-client';
import { useModels } from './use-models';

// the hook is tested against scripted pkg/lib processes and a scripted PodmanClient
let mockConnect: jest.Mock<Promise<PodmanClient>, []>;
const mockRun = jest.fn<Promise<string>, [string[], RunOptions?]>();
const mockRunScript = jest.fn<Promise<string>, [string, string, string[]?, RunOptions?]>();
jest.mock('./podman-client', () => ({ connectPodman: () => mockConnect() }));
jest.mock('../../pkg/lib/run', () => ({
    run: (argv: string[], options?: RunOptions) => mockRun(argv, options),
    runScript: (name: string, script: string, args?: string[], options?: RunOptions) => mockRunScript(name, script, args, options),
}));

const QUADLET_PUBLIC = `[Unit]
Description=Model server aiws-rec-public

[Container]
ContainerName=aiws-rec-public
Image=localhost/aiws-echo-server:latest
Label=ai-workstation.managed=true ai-workstation.catalog=llama-cpp

[Install]
WantedBy=multi-user.target
`;

const SITE_CATALOG = JSON.stringify({
    version: 1,
    servers: [{ id: 'lab-llama', name: 'llama.cpp (lab)', image: 'registry.lab.example/llama.cpp:server-cuda', containerPort: 8080, modelFormats: ['gguf'] }],
});

/** models-host-files.sh's answer with these files. */
function hostFilesOutput(files: Record<string, string>): string {
    return ['aiws-models-files 1', ...Object.entries(files).flatMap(([path, text]) => [`@@aiws file ${path}`, text]), '@@aiws end ok', ''].join('\n');
}

const NFT_LISTING = readFixture('nft/nft-j-list-table-models-1.0.6.json');

let client: FakePodmanClient;
let files: Record<string, string>;
beforeEach(() => {
    client = fakePodmanClient();
    mockConnect = jest.fn(() => Promise.resolve(client));
    files = {
        '/etc/containers/systemd/aiws-rec-public.container': QUADLET_PUBLIC,
        '/etc/containers/systemd/ai-workstation.network': '[Network]\nNetworkName=ai-workstation\n',
        [`${CATALOG_DIR}/lab.json`]: SITE_CATALOG,
    };
    mockRunScript.mockReset();
    mockRunScript.mockImplementation(name => name === 'models-host-files.sh'
        ? Promise.resolve(hostFilesOutput(files))
        : Promise.reject(new Error(`no fake for ${name}`)));
    mockRun.mockReset();
    mockRun.mockImplementation(argv => argv[0] === 'nft' ? Promise.resolve(NFT_LISTING) : Promise.reject(new Error(`no fake for ${argv[0]}`)));
});

const hostFileReads = () => mockRunScript.mock.calls.filter(([name]) => name === 'models-host-files.sh').length;

test('servers, the Quadlet units on the host, the site catalog, podman\'s version and the firewall', async () => {
    const { result } = renderHook(() => useModels(true, true, true));
    await waitFor(() => expect(result.current.servers).toEqual(recordedServers()));
    await waitFor(() => expect(result.current.podmanVersion?.version).toBe('4.3.1'));
    // the .network file is not a server
    expect(result.current.quadlets.map(q => [q.unitName, q.containerName, q.managed])).toEqual([['aiws-rec-public.service', 'aiws-rec-public', true]]);
    expect(result.current.catalog.map(e => e.id)).toEqual(['llama-cpp', 'vllm', 'ollama', 'lab-llama', 'custom']);
    expect(result.current.catalogProblems).toEqual([]);
    expect(result.current.firewall).toMatchObject({ loaded: true, refusedOutbound: 0, refusedToHost: 0 });
    expect(result.current.firewallError).toBeNull();
    expect(mockRun).toHaveBeenCalledWith(['nft', '-j', 'list', 'table', 'inet', 'ai_workstation_models'], { admin: true });
});

test('the Quadlet units are read again with each list', async () => {
    const { result } = renderHook(() => useModels(true, true, true));
    await waitFor(() => expect(result.current.quadlets).toHaveLength(1));
    const reads = hostFileReads();
    delete files['/etc/containers/systemd/aiws-rec-public.container'];
    act(() => result.current.reload());
    await waitFor(() => expect(result.current.quadlets).toEqual([]));
    expect(hostFileReads()).toBe(reads + 1);
});

test('a broken site catalog file is reported; the shipped entries stay', async () => {
    files[`${CATALOG_DIR}/lab.json`] = '{"version": 1, "servers": [';
    const { result } = renderHook(() => useModels(true, true, true));
    await waitFor(() => expect(result.current.catalogProblems).toHaveLength(1));
    expect(result.current.catalogProblems[0].tool).toBe(`${CATALOG_DIR}/lab.json`);
    expect(result.current.catalog.map(e => e.id)).toEqual(['llama-cpp', 'vllm', 'ollama', 'custom']);
});

test('host files that cannot be read leave the shipped catalog and no units', async () => {
    mockRunScript.mockImplementation(() => Promise.reject(new HostError('exit', 'models-host-files.sh', 'failed', { exitStatus: 2 })));
    const { result } = renderHook(() => useModels(true, true, true));
    await waitFor(() => expect(result.current.servers).not.toBeNull());
    await waitFor(() => expect(hostFileReads()).toBeGreaterThanOrEqual(2));
    expect(result.current.catalog.map(e => e.id)).toEqual(['llama-cpp', 'vllm', 'ollama', 'custom']);
    expect(result.current.quadlets).toEqual([]);
});

test('no table yet is "not loaded", not an error', async () => {
    mockRun.mockImplementation(() => Promise.reject(new HostError('exit', 'nft -j list table inet ai_workstation_models', 'nft failed',
        { exitStatus: 1, detail: 'Error: No such file or directory\nlist table inet ai_workstation_models\n' })));
    const { result } = renderHook(() => useModels(true, true, true));
    await waitFor(() => expect(result.current.firewall).toEqual({ loaded: false, refusedOutbound: 0, refusedToHost: 0, rules: [] }));
    expect(result.current.firewallError).toBeNull();
});

test('without administrative access: no podman, no nft; the catalog still', async () => {
    const { result } = renderHook(() => useModels(false, true, true));
    await waitFor(() => expect(hostFileReads()).toBe(1));
    expect(result.current.access).toEqual({ kind: 'needs-admin' });
    expect(mockConnect).not.toHaveBeenCalled();
    expect(mockRun).not.toHaveBeenCalled();
    expect(result.current.firewall).toBeNull();
    await waitFor(() => expect(result.current.catalog.map(e => e.id)).toContain('lab-llama'));
});
