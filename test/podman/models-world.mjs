// What the Models tab needs in a simulated workstation (make demo and the browser tests):
// the real podman API service with the stand-in server image, a model file and, for the
// demo, a site catalog entry for that image, under the scenario's root. stop() removes
// the containers whose model lies under that root (never another one of the machine's),
// then the page's network and nftables table when no server of the page is left.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { api, containersUnder, ensureEchoImage, managedContainers, podmanInstalled, startPodmanService } from './podman-world.mjs';
import { spawnSync } from 'node:child_process';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_MODEL = '/srv/models/echo-tiny.gguf';

/**
 * A valid GGUF file with no tensors and no metadata: magic "GGUF", version 3, tensor
 * count 0, metadata count 0 (the header of ggml's gguf.md), enough for the path check.
 */
function emptyGguf() {
    const header = Buffer.alloc(24);
    header.write('GGUF', 0, 'latin1');
    header.writeUInt32LE(3, 4);
    return header;
}

export async function prepareModelsWorld(root, { demoCatalog = false } = {}) {
    if (!podmanInstalled())
        return { podman: false, note: 'podman is not installed here: the Models tab says so (make deps installs it)', stop: async () => undefined };
    const service = await startPodmanService();
    await ensureEchoImage();
    fs.mkdirSync(path.join(root, path.dirname(DEMO_MODEL)), { recursive: true });
    fs.writeFileSync(path.join(root, DEMO_MODEL), emptyGguf());
    if (demoCatalog) {
        const dir = path.join(root, 'etc/cockpit-ai-workstation/catalog.d');
        fs.mkdirSync(dir, { recursive: true });
        fs.copyFileSync(path.join(here, 'demo-catalog.json'), path.join(dir, 'demo.json'));
    }
    return {
        podman: true,
        note: service.started ? "started podman's API service on /run/podman/podman.sock" : "using podman's API service on /run/podman/podman.sock",
        stop: async () => {
            try {
                for (const name of await containersUnder(root))
                    await api('DELETE', `/containers/${encodeURIComponent(name)}?force=true`);
                if ((await managedContainers()).length === 0) {
                    await api('DELETE', '/networks/ai-workstation');
                    spawnSync('nft', ['delete', 'table', 'inet', 'ai_workstation_models'], { stdio: 'ignore' });
                }
            } finally {
                await service.stop();
            }
        },
    };
}
