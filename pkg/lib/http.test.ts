import { httpCalls, onHttp, resetFake } from '../../test/unit/fake-cockpit';
import { primeHostRoot, resetHostRoot } from './host-root';
import { HostError } from './host-error';
import { unixHttp } from './http';

beforeEach(() => {
    resetFake();
    resetHostRoot();
    primeHostRoot('/sim/root');
});

test('talks to the socket under the root prefix and parses JSON', async () => {
    onHttp(call => call.finish({ body: '{"version":{"Version":"4.3.1"}}' }));
    const http = await unixHttp('/run/podman/podman.sock', { admin: true });
    await expect(http.getJson<{ version: { Version: string } }>('/v4.0.0/libpod/info')).resolves.toEqual({ version: { Version: '4.3.1' } });
    expect(httpCalls[0].options).toMatchObject({ unix: '/sim/root/run/podman/podman.sock', superuser: 'require' });
    expect(httpCalls[0].request).toMatchObject({ method: 'GET', path: '/v4.0.0/libpod/info' });
});

test('an HTTP error status becomes a HostError with status and body', async () => {
    onHttp(call => call.finish({ error: { problem: null, status: 404, reason: 'Not Found', message: '{"cause":"no such container"}' } }));
    const http = await unixHttp('/run/podman/podman.sock');
    const error = await http.request('POST', '/v4.0.0/libpod/containers/x/start').catch(e => e);
    expect(error).toBeInstanceOf(HostError);
    expect(error).toMatchObject({ kind: 'http', httpStatus: 404, detail: '{"cause":"no such container"}' });
    expect(error.subject).toBe('/run/podman/podman.sock /v4.0.0/libpod/containers/x/start');
});

test('a body that is not JSON is an error, not a crash', async () => {
    onHttp(call => call.finish({ body: '<html>' }));
    const http = await unixHttp('/run/podman/podman.sock');
    await expect(http.getJson('/x')).rejects.toMatchObject({ kind: 'internal', message: expect.stringContaining('not JSON') });
});

test('a missing socket is kind not-found', async () => {
    onHttp(call => call.finish({ error: { problem: 'not-found', message: 'couldn\'t connect' } }));
    const http = await unixHttp('/run/podman/podman.sock');
    await expect(http.request('GET', '/_ping')).rejects.toMatchObject({ kind: 'not-found' });
});

test('a stream delivers chunks until closed, and closing is no error', async () => {
    let events!: (chunk: string) => void;
    onHttp(call => { events = call.emit });
    const http = await unixHttp('/run/podman/podman.sock');
    const chunks: string[] = [];
    const stream = http.stream('/v4.0.0/libpod/events', { stream: 'true' }, chunk => chunks.push(chunk));
    await Promise.resolve();
    await Promise.resolve();
    events('{"Action":"start"}\n');
    stream.close();
    await expect(stream.done).resolves.toBeUndefined();
    expect(chunks).toEqual(['{"Action":"start"}\n']);
    expect(httpCalls[0].closedWith).toBe('terminated');
    expect(httpCalls[0].request.params).toEqual({ stream: 'true' });
});
