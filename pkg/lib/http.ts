// HTTP over a unix socket on the host (podman's libpod API and friends).
import cockpit from 'cockpit';
import type { HttpClient, HttpRequest } from 'cockpit';
import { HostError, toHostError } from './host-error';
import { hostPath } from './host-root';
import { native } from './native-promise';

export interface UnixHttpOptions {
    admin?: boolean;
}

export interface UnixHttp {
    /** GET and parse the JSON answer. */
    getJson<T>(path: string, params?: Record<string, string>): Promise<T>;
    /** Any request; resolves to the body text. */
    request(method: string, path: string, body?: string, params?: Record<string, string>): Promise<string>;
    /** A streaming GET (event streams): chunks go to onChunk until close(). */
    stream(path: string, params: Record<string, string>, onChunk: (chunk: string) => void): HttpStream;
    /** The same with the body's bytes as they come (multiplexed container logs are binary). */
    streamBytes(path: string, params: Record<string, string>, onChunk: (chunk: Uint8Array) => void): HttpStream;
    /** A streaming POST (image pulls report progress as JSON lines). */
    streamPost(path: string, params: Record<string, string>, onChunk: (chunk: string) => void): HttpStream;
    close(): void;
}

export interface HttpStream {
    close(): void;
    done: Promise<void>;
}

export async function unixHttp(socketPath: string, options: UnixHttpOptions = {}): Promise<UnixHttp> {
    const unix = await hostPath(socketPath);
    const client: HttpClient = cockpit.http({
        unix,
        ...(options.admin ? { superuser: 'require' } : {}),
    });
    const subject = (path: string) => `${socketPath} ${path}`;
    let binaryClient: HttpClient | null = null;

    function follow<T extends string | Uint8Array>(path: string, req: HttpRequest, onChunk: (chunk: T) => void): HttpStream {
        let closed = false;
        req.stream<T>(onChunk);
        const done = native(req).then(() => undefined, raw => {
            if (!closed)
                throw toHostError(subject(path), raw);
        });
        return {
            close() {
                closed = true;
                req.close('terminated');
            },
            done,
        };
    }

    const request = async (method: string, path: string, body?: string, params?: Record<string, string>) => {
        try {
            return await client.request({
                method,
                path,
                ...(params ? { params } : {}),
                ...(body !== undefined ? { body, headers: { 'Content-Type': 'application/json' } } : { body: '' }),
            });
        } catch (raw) {
            throw toHostError(subject(path), raw);
        }
    };

    return {
        async getJson<T>(path: string, params?: Record<string, string>): Promise<T> {
            const text = await request('GET', path, undefined, params);
            try {
                return JSON.parse(text) as T;
            } catch {
                throw new HostError('internal', subject(path), `not JSON: ${text.slice(0, 120)}`);
            }
        },
        request,
        stream(path, params, onChunk) {
            return follow(path, client.get(path, params), onChunk);
        },
        streamBytes(path, params, onChunk) {
            binaryClient ??= cockpit.http({ unix, binary: true, ...(options.admin ? { superuser: 'require' } : {}) });
            return follow(path, binaryClient.get(path, params), onChunk);
        },
        streamPost(path, params, onChunk) {
            return follow(path, client.request({ method: 'POST', path, params, body: '' }), onChunk);
        },
        close() {
            client.close();
            binaryClient?.close();
        },
    };
}

export interface TcpHttp {
    /**
     * Any request to the peer; resolves to status and body whatever the status, rejects when
     * it cannot be reached, or with a 'timeout' HostError when it has not answered within
     * timeoutMs (a peer that accepts and never answers would otherwise hold it forever).
     */
    exchange(method: 'GET' | 'POST', path: string, body?: string, timeoutMs?: number): Promise<{ status: number, body: string }>;
    close(): void;
}

/** HTTP to a TCP port on the host (a local server's API), sent by the bridge, not the browser. */
export function tcpHttp(address: string, port: number): TcpHttp {
    const client = cockpit.http({ address, port });
    const subject = `http://${address}:${port}`;
    return {
        async exchange(method, path, body, timeoutMs = 30_000) {
            let status = 0;
            const req = client.request({
                method,
                path,
                body: body ?? '',
                ...(body !== undefined ? { headers: { 'Content-Type': 'application/json' } } : {}),
            });
            req.response(code => {
                status = code;
            });
            let timer: ReturnType<typeof setTimeout> | null = null;
            const late = new Promise<never>((_resolve, reject) => {
                timer = setTimeout(() => {
                    req.close('timeout');
                    reject(new HostError('timeout', subject + path, `no answer within ${Math.round(timeoutMs / 1000)} s`));
                }, timeoutMs);
            });
            try {
                const text = await Promise.race([native(req), late]);
                return { status: status || 200, body: text };
            } catch (raw) {
                if (raw instanceof HostError)
                    throw raw;
                const error = toHostError(subject + path, raw);
                if (error.httpStatus !== null)
                    return { status: error.httpStatus, body: error.detail };
                throw error;
            } finally {
                if (timer !== null)
                    clearTimeout(timer);
            }
        },
        close() {
            client.close();
        },
    };
}
