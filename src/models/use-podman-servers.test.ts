import { act, renderHook } from '@testing-library/react';
import { fakePodmanClient, recordedEventLines, recordedServers, type FakePodmanClient } from '../../test/unit/fake-podman-client';
import type { AdminAccess } from '../../pkg/lib/use-admin';
import type { PodmanClient } from './podman-client';
import { usePodmanServers } from './use-podman-servers';

// the hook is tested against a scripted PodmanClient, not the libpod socket
let mockConnect: jest.Mock<Promise<PodmanClient>, []>;
jest.mock('./podman-client', () => ({ connectPodman: () => mockConnect() }));

let client: FakePodmanClient;
beforeEach(() => {
    client = fakePodmanClient();
    mockConnect = jest.fn(() => Promise.resolve(client));
    jest.useFakeTimers();
});
afterEach(() => jest.useRealTimers());

async function flush() {
    for (let i = 0; i < 5; i++)
        await act(async () => { await Promise.resolve() });
}

async function advance(ms: number) {
    await act(async () => { jest.advanceTimersByTime(ms) });
    await flush();
}

interface Props { admin: AdminAccess, installed: boolean | null, socket: boolean | null }

function renderServers(initial: Props) {
    return renderHook(({ admin, installed, socket }: Props) => usePodmanServers(admin, installed, socket), { initialProps: initial });
}

async function connected() {
    const hook = renderServers({ admin: true, installed: true, socket: true });
    await flush();
    expect(hook.result.current.access.kind).toBe('ready');
    expect(client.listServers).toHaveBeenCalledTimes(1);
    expect(client.streams).toHaveLength(1);
    return hook;
}

const lines = recordedEventLines();

describe('access', () => {
    test('the recorded event stream has the container events the hook reacts to', () => {
        expect(lines).toHaveLength(17);
        expect(lines.every(line => JSON.parse(line).Type === 'container')).toBe(true);
    });

    test('no podman: nothing is connected', async () => {
        const { result } = renderServers({ admin: true, installed: false, socket: false });
        await flush();
        expect(result.current.access).toEqual({ kind: 'no-podman' });
        expect(result.current.servers).toBeNull();
        expect(mockConnect).not.toHaveBeenCalled();
    });

    test('no socket: nothing is connected', async () => {
        const { result } = renderServers({ admin: true, installed: true, socket: false });
        await flush();
        expect(result.current.access).toEqual({ kind: 'no-socket' });
        expect(mockConnect).not.toHaveBeenCalled();
    });

    test('without administrative access the rootful socket is not tried', async () => {
        const { result } = renderServers({ admin: false, installed: true, socket: true });
        await flush();
        expect(result.current.access).toEqual({ kind: 'needs-admin' });
        expect(mockConnect).not.toHaveBeenCalled();
        expect(client.listServers).not.toHaveBeenCalled();
    });

    test('while Cockpit or the capability probe has not said, it is checking and connects nothing', async () => {
        const hook = renderServers({ admin: null, installed: true, socket: true });
        await flush();
        expect(hook.result.current.access).toEqual({ kind: 'checking' });
        hook.rerender({ admin: true, installed: null, socket: null });
        await flush();
        expect(hook.result.current.access).toEqual({ kind: 'checking' });
        expect(mockConnect).not.toHaveBeenCalled();
    });

    test('admin and a socket: one connection, one list, then ready with the recorded servers', async () => {
        let resolveConnect: (c: PodmanClient) => void = () => {};
        mockConnect = jest.fn(() => new Promise<PodmanClient>(resolve => {
            resolveConnect = resolve;
        }));
        const { result } = renderServers({ admin: true, installed: true, socket: true });
        await flush();
        expect(result.current.access).toEqual({ kind: 'checking' });
        expect(result.current.servers).toBeNull();
        resolveConnect(client);
        await flush();
        expect(mockConnect).toHaveBeenCalledTimes(1);
        expect(result.current.access).toEqual({ kind: 'ready', client });
        expect(client.listServers).toHaveBeenCalledTimes(1);
        expect(client.followEvents).toHaveBeenCalledTimes(1);
        expect(result.current.servers).toEqual(recordedServers());
        expect(result.current.servers?.map(s => s.name)).toEqual([
            'aiws-test1', 'aiws-rec-ours', 'aiws-rec-ramalama', 'aiws-rec-ailab', 'aiws-rec-ailab-badlabel',
            'aiws-rec-public', 'aiws-rec-exited', 'aiws-rec-unhealthy', 'aiws-rec-stopped', 'aiws-rec-paused',
        ]);
        expect(result.current.error).toBeNull();
        expect(result.current.eventsDown).toBe(false);
    });

    test('a failed connection is the error', async () => {
        const refused = new Error('connection refused');
        mockConnect = jest.fn(() => Promise.reject(refused));
        const { result } = renderServers({ admin: true, installed: true, socket: true });
        await flush();
        expect(result.current.access).toEqual({ kind: 'checking' });
        expect(result.current.error).toBe(refused);
    });

    test('a failed list is the error; the next good list clears it', async () => {
        const failure = new Error('no such file or directory');
        client.answer = () => Promise.reject(failure);
        const { result } = await connected();
        expect(result.current.error).toBe(failure);
        expect(result.current.servers).toBeNull();
        client.answer = () => Promise.resolve(recordedServers().slice(0, 2));
        act(() => result.current.reload());
        await flush();
        expect(result.current.error).toBeNull();
        expect(result.current.servers?.map(s => s.name)).toEqual(['aiws-test1', 'aiws-rec-ours']);
    });

    test('turning administrative access off closes the connection and the stream', async () => {
        const hook = await connected();
        hook.rerender({ admin: false, installed: true, socket: true });
        await flush();
        expect(hook.result.current.access).toEqual({ kind: 'needs-admin' });
        expect(client.close).toHaveBeenCalledTimes(1);
        expect(client.streams[0].closed).toBe(true);
    });
});

describe('the event stream', () => {
    test('one event: exactly one more list, after the quiet period', async () => {
        const { result } = await connected();
        client.answer = () => Promise.resolve(recordedServers().slice(0, 1));
        act(() => client.streams[0].emit(lines[2] + '\n'));
        await advance(299);
        expect(client.listServers).toHaveBeenCalledTimes(1);
        await advance(1);
        expect(client.listServers).toHaveBeenCalledTimes(2);
        expect(result.current.servers?.map(s => s.name)).toEqual(['aiws-test1']);
        await advance(5000);
        expect(client.listServers).toHaveBeenCalledTimes(2);
    });

    test('a burst of events, cut anywhere between chunks, is one list', async () => {
        await connected();
        const text = lines.join('\n') + '\n';
        // three chunks, cut in the middle of lines, 100 ms apart: each resets the quiet period
        const cuts = [0, 1000, 4321, text.length];
        for (let i = 0; i < 3; i++) {
            act(() => client.streams[0].emit(text.slice(cuts[i], cuts[i + 1])));
            await advance(100);
        }
        expect(client.listServers).toHaveBeenCalledTimes(1);
        await advance(200);
        expect(client.listServers).toHaveBeenCalledTimes(2);
        await advance(10_000);
        expect(client.listServers).toHaveBeenCalledTimes(2);
    });

    test('half a line waits for its end', async () => {
        await connected();
        act(() => client.streams[0].emit(lines[0].slice(0, 50)));
        await advance(1000);
        expect(client.listServers).toHaveBeenCalledTimes(1);
        act(() => client.streams[0].emit(lines[0].slice(50) + '\n'));
        await advance(300);
        expect(client.listServers).toHaveBeenCalledTimes(2);
    });

    test('a line that is not a container event does not throw into the stream', async () => {
        await connected();
        expect(() => act(() => client.streams[0].emit('{"Type":"container","status":"start"}\nnot json\n'))).not.toThrow();
        await advance(300);
        // the list is the truth: a line we cannot read is reason enough to read it again
        expect(client.listServers).toHaveBeenCalledTimes(2);
    });

    test('the stream ends (podman restarted): down, reconnected after the back-off, listed again, up at the next chunk', async () => {
        const { result } = await connected();
        act(() => client.streams[0].end());
        await flush();
        expect(result.current.eventsDown).toBe(true);
        await advance(999);
        expect(client.followEvents).toHaveBeenCalledTimes(1);
        expect(client.listServers).toHaveBeenCalledTimes(1);
        await advance(1);
        expect(client.followEvents).toHaveBeenCalledTimes(2);
        expect(client.listServers).toHaveBeenCalledTimes(2);
        // connected again, but nothing has come through it yet
        expect(result.current.eventsDown).toBe(true);
        act(() => client.streams[1].emit(lines[0] + '\n'));
        expect(result.current.eventsDown).toBe(false);
        await advance(300);
        expect(client.listServers).toHaveBeenCalledTimes(3);
    });

    test('the stream fails (socket gone): the back-off grows while it keeps failing at once', async () => {
        const { result } = await connected();
        act(() => client.streams[0].fail(new Error('socket gone')));
        await flush();
        expect(result.current.eventsDown).toBe(true);
        await advance(1000);
        expect(client.streams).toHaveLength(2);
        expect(client.listServers).toHaveBeenCalledTimes(2);

        act(() => client.streams[1].fail(new Error('socket gone')));
        await flush();
        await advance(1999);
        expect(client.streams).toHaveLength(2);
        await advance(1);
        expect(client.streams).toHaveLength(3);
        expect(client.listServers).toHaveBeenCalledTimes(3);
        expect(result.current.eventsDown).toBe(true);
        act(() => client.streams[2].emit(lines[5] + '\n'));
        expect(result.current.eventsDown).toBe(false);
    });

    test('unmount closes the client and the stream; nothing runs afterwards', async () => {
        const { result, unmount } = await connected();
        act(() => client.streams[0].emit(lines[0] + '\n'));
        const before = result.current;
        unmount();
        expect(client.close).toHaveBeenCalledTimes(1);
        expect(client.streams[0].closed).toBe(true);
        await advance(60_000);
        // the pending list and the closed stream's end start nothing
        expect(client.listServers).toHaveBeenCalledTimes(1);
        expect(client.followEvents).toHaveBeenCalledTimes(1);
        expect(result.current).toBe(before);
    });

    test('unmount while a reconnect waits: no stream is opened again', async () => {
        const { unmount } = await connected();
        act(() => client.streams[0].end());
        await flush();
        unmount();
        await advance(60_000);
        expect(client.followEvents).toHaveBeenCalledTimes(1);
        expect(client.listServers).toHaveBeenCalledTimes(1);
        expect(client.close).toHaveBeenCalledTimes(1);
    });

    test('a client that connects after unmount is closed at once', async () => {
        let resolveConnect: (c: PodmanClient) => void = () => {};
        mockConnect = jest.fn(() => new Promise<PodmanClient>(resolve => {
            resolveConnect = resolve;
        }));
        const { unmount } = renderServers({ admin: true, installed: true, socket: true });
        await flush();
        unmount();
        resolveConnect(client);
        await flush();
        expect(client.close).toHaveBeenCalledTimes(1);
        expect(client.listServers).not.toHaveBeenCalled();
        expect(client.followEvents).not.toHaveBeenCalled();
    });
});
