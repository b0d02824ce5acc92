// podman's libpod REST API over its system socket (the way cockpit-podman talks to it):
// rootful podman, so every call needs administrative access. Texts go to the pure
// parsers beside this file; errors become HostErrors carrying libpod's own message.
import { _, format } from '../../pkg/lib/gettext';
import { HostError } from '../../pkg/lib/host-error';
import type { ErrorText } from '../app/error-text';
import { unixHttp, type HttpStream, type UnixHttp } from '../../pkg/lib/http';
import type { ContainerCreateBody } from './container-spec';
import { parseContainerInspect, type ContainerDetails } from './libpod-inspect-parser';
import { parseContainerList } from './libpod-containers-parser';
import { parseLibpodError } from './libpod-error';
import { LogFrameDecoder } from './log-frames';
import { parseLibpodVersion, type PodmanVersion } from './libpod-version';
import { parseContainerStats, type ContainerStats } from './libpod-stats-parser';
import { PRIVATE_INTERFACE, PRIVATE_NETWORK, type ModelServer } from './model-server';

export const PODMAN_SOCKET = '/run/podman/podman.sock';
// libpod accepts any version at or above its minimum (4.0.0) in the path
const API = '/v4.0.0/libpod';

/** A libpod error with its message (e.g. "address already in use") as the admin should read it. */
export class PodmanError extends Error {
    readonly status: number;
    readonly libpodCause: string;
    constructor(status: number, cause: string, message: string) {
        super(message);
        this.name = 'PodmanError';
        this.status = status;
        this.libpodCause = cause;
    }

    describe(): ErrorText {
        return {
            summary: format(_("podman refused: $0"), this.message),
            detail: this.libpodCause !== this.message ? this.libpodCause : '',
            hint: podmanHint(this),
        };
    }
}

function podmanHint(error: PodmanError): string {
    const text = `${error.message} ${error.libpodCause}`;
    if (/address already in use/i.test(text))
        return _("Another program listens on that port: pick another port, or stop the other server first.");
    if (/image not known|no such image|manifest unknown/i.test(text))
        return _("The image is not on this host: pull it first, or check its name.");
    if (/pinging container registry|dial tcp|no such host|connection refused|i\/o timeout|network is unreachable/i.test(text))
        return _("The registry cannot be reached from this host. Check the host's network or proxy, or copy the image in with podman load.");
    if (error.status === 404)
        return _("It is gone: another admin or a tool may have removed it. The list shows what is there now.");
    if (/name .* in use|already in use by/i.test(text))
        return _("Pick another name, or delete the old container first.");
    return _("The message above is podman's own; podman's journal (journalctl -u podman) may say more.");
}

function podmanError(error: unknown): unknown {
    if (error instanceof HostError && error.kind === 'http' && error.httpStatus !== null) {
        const parsed = parseLibpodError(error.httpStatus, error.detail || error.message);
        return new PodmanError(parsed.status, parsed.cause, parsed.message);
    }
    return error;
}

async function call<T>(work: () => Promise<T>): Promise<T> {
    try {
        return await work();
    } catch (error) {
        throw podmanError(error);
    }
}

const enc = encodeURIComponent;

export interface PodmanClient {
    version(): Promise<PodmanVersion>;
    listServers(): Promise<ModelServer[]>;
    inspect(name: string): Promise<ContainerDetails>;
    stats(name: string): Promise<ContainerStats | null>;
    containerNames(): Promise<string[]>;
    imageExists(reference: string): Promise<boolean>;
    /** Progress lines of the pull go to onLine; rejects with the registry's error. */
    pullImage(reference: string, onLine: (line: string) => void): { done: Promise<void>, cancel(): void };
    ensurePrivateNetwork(): Promise<'exists' | 'created'>;
    create(body: ContainerCreateBody): Promise<string>;
    start(name: string): Promise<void>;
    stop(name: string): Promise<void>;
    restart(name: string): Promise<void>;
    remove(name: string): Promise<void>;
    followLogs(name: string, onBytes: (chunk: Uint8Array) => void): HttpStream;
    /** The last lines the container printed, as text (for "it exited at once"). */
    logsTail(name: string): Promise<string>;
    followEvents(onText: (chunk: string) => void): HttpStream;
    close(): void;
}

export async function connectPodman(): Promise<PodmanClient> {
    const http: UnixHttp = await unixHttp(PODMAN_SOCKET, { admin: true });

    const post = (path: string, body?: string, params?: Record<string, string>) =>
        call(() => http.request('POST', `${API}${path}`, body, params));

    const exists = async (path: string) => {
        try {
            await http.request('GET', `${API}${path}`);
            return true;
        } catch (error) {
            if (error instanceof HostError && error.httpStatus === 404)
                return false;
            throw podmanError(error);
        }
    };

    return {
        async version() {
            return parseLibpodVersion(await call(() => http.request('GET', `${API}/version`)));
        },
        async listServers() {
            const text = await call(() => http.request('GET', `${API}/containers/json`, undefined, { all: 'true' }));
            return parseContainerList(text);
        },
        async inspect(name) {
            return parseContainerInspect(await call(() => http.request('GET', `${API}/containers/${enc(name)}/json`)));
        },
        async stats(name) {
            const text = await call(() => http.request('GET', `${API}/containers/stats`, undefined, { containers: name, stream: 'false' }));
            return parseContainerStats(text).find(s => s.name === name || s.id.startsWith(name)) ?? null;
        },
        async containerNames() {
            const text = await call(() => http.request('GET', `${API}/containers/json`, undefined, { all: 'true' }));
            const list = JSON.parse(text) as { Names?: string[] }[];
            return list.flatMap(c => (c.Names ?? []).map(n => n.replace(/^\//, '')));
        },
        imageExists(reference) {
            return exists(`/images/${enc(reference)}/exists`);
        },
        pullImage(reference, onLine) {
            let buffer = '';
            let failure: string | null = null;
            const stream = http.streamPost(`${API}/images/pull`, { reference, policy: 'missing' }, chunk => {
                buffer += chunk;
                const lines = buffer.split('\n');
                buffer = lines.pop() ?? '';
                for (const line of lines) {
                    if (line.trim() === '')
                        continue;
                    // libpod reports {"stream": "..."} progress, {"error": "..."} and finally {"images": [...]}
                    try {
                        const report = JSON.parse(line) as { stream?: string, error?: string };
                        if (report.error)
                            failure = report.error;
                        if (report.stream)
                            onLine(report.stream.trimEnd());
                    } catch {
                        onLine(line);
                    }
                }
            });
            const done = stream.done.then(() => {
                if (failure !== null)
                    throw new PodmanError(500, 'pull', failure);
            }, error => {
                throw podmanError(error);
            });
            return { done, cancel: () => stream.close() };
        },
        async ensurePrivateNetwork() {
            if (await exists(`/networks/${PRIVATE_NETWORK}/exists`))
                return 'exists';
            await post('/networks/create', JSON.stringify({
                name: PRIVATE_NETWORK,
                driver: 'bridge',
                // the fixed interface name is what the nftables rules match on
                network_interface: PRIVATE_INTERFACE,
                dns_enabled: false,
                labels: { 'ai-workstation.managed': 'true' },
            }));
            return 'created';
        },
        async create(body) {
            const text = await post('/containers/create', JSON.stringify(body));
            return (JSON.parse(text) as { Id: string }).Id;
        },
        async start(name) {
            await post(`/containers/${enc(name)}/start`);
        },
        async stop(name) {
            await post(`/containers/${enc(name)}/stop`, undefined, { timeout: '10' });
        },
        async restart(name) {
            await post(`/containers/${enc(name)}/restart`, undefined, { t: '10' });
        },
        async remove(name) {
            // force: a running server is stopped first; no volumes are ours, the model is a bind mount and stays
            await call(() => http.request('DELETE', `${API}/containers/${enc(name)}`, undefined, { force: 'true' }));
        },
        followLogs(name, onBytes) {
            return http.streamBytes(`${API}/containers/${enc(name)}/logs`,
                { follow: 'true', stdout: 'true', stderr: 'true', tail: '500' }, onBytes);
        },
        async logsTail(name) {
            const decoder = new LogFrameDecoder();
            const lines: string[] = [];
            const stream = http.streamBytes(`${API}/containers/${enc(name)}/logs`,
                { stdout: 'true', stderr: 'true', tail: '30' }, chunk => lines.push(...decoder.push(chunk).map(l => l.text)));
            await call(() => stream.done);
            lines.push(...decoder.flush().map(l => l.text));
            return lines.join('\n');
        },
        followEvents(onText) {
            return http.stream(`${API}/events`, { stream: 'true', filters: JSON.stringify({ type: ['container'] }) }, onText);
        },
        close() {
            http.close();
        },
    };
}
