// HTTP over a unix socket on the host (podman's libpod API and friends).
import cockpit from 'cockpit';
import type { HttpClient } from 'cockpit';
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
    stream(path: string, params: Record<string, string>, onChunk: (chunk: string) => void): { close(): void, done: Promise<void> };
    close(): void;
}

export async function unixHttp(socketPath: string, options: UnixHttpOptions = {}): Promise<UnixHttp> {
    const unix = await hostPath(socketPath);
    const client: HttpClient = cockpit.http({
        unix,
        ...(options.admin ? { superuser: 'require' } : {}),
    });
    const subject = (path: string) => `${socketPath} ${path}`;

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
            const req = client.get(path, params);
            let closed = false;
            req.stream(onChunk);
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
        },
        close() {
            client.close();
        },
    };
}
