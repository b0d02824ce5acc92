// A scripted PodmanClient (src/models/podman-client.ts) for the Models hooks and views:
// list results are set by the test, the event streams are handed to it to feed and end.
import type { PodmanClient } from '../../src/models/podman-client';
import type { ModelServer } from '../../src/models/model-server';
import { parseContainerList } from '../../src/models/libpod-containers-parser';
import { parseLibpodVersion } from '../../src/models/libpod-version';
import { readFixture } from './fixtures';

/** The recorded podman 4.3.1 container list, as the client returns it. */
export function recordedServers(): ModelServer[] {
    return parseContainerList(readFixture('podman/libpod-containers-json-4.3.1.json'));
}

/** The recorded podman 4.3.1 event stream, one line each. */
export function recordedEventLines(): string[] {
    return readFixture('podman/libpod-events-4.3.1.jsonl').split('\n').filter(line => line.trim() !== '');
}

export interface FakeEventStream {
    /** Deliver a chunk as the HTTP stream would. */
    emit(chunk: string): void;
    /** The stream ends by itself (podman restarted). */
    end(): void;
    /** The stream fails (the socket went away). */
    fail(error: unknown): void;
    closed: boolean;
}

export interface FakePodmanClient extends PodmanClient {
    listServers: jest.Mock<Promise<ModelServer[]>, []>;
    followEvents: jest.Mock<ReturnType<PodmanClient['followEvents']>, [(chunk: string) => void]>;
    close: jest.Mock<void, []>;
    /** Every stream followEvents opened, oldest first. */
    streams: FakeEventStream[];
    /** What the next listServers() answers. */
    answer: () => Promise<ModelServer[]>;
}

const notScripted = (what: string) => () => Promise.reject(new Error(`${what} is not scripted`));

export function fakePodmanClient(): FakePodmanClient {
    const streams: FakeEventStream[] = [];
    const client: FakePodmanClient = {
        streams,
        answer: () => Promise.resolve(recordedServers()),
        listServers: jest.fn(() => client.answer()),
        followEvents: jest.fn((onText: (chunk: string) => void) => {
            let settle: { resolve(): void, reject(error: unknown): void } | null = null;
            const done = new Promise<void>((resolve, reject) => {
                settle = { resolve, reject };
            });
            const stream: FakeEventStream = {
                closed: false,
                emit(chunk) {
                    if (!stream.closed)
                        onText(chunk);
                },
                end() {
                    stream.closed = true;
                    settle?.resolve();
                },
                fail(error) {
                    stream.closed = true;
                    settle?.reject(error);
                },
            };
            streams.push(stream);
            // as pkg/lib/http.ts: closing ends the stream without an error
            return { done, close: () => stream.end() };
        }),
        close: jest.fn(),
        version: jest.fn(() => Promise.resolve(parseLibpodVersion(readFixture('podman/libpod-version-4.3.1.json')))),
        inspect: jest.fn(notScripted('inspect')),
        stats: jest.fn(notScripted('stats')),
        containerNames: jest.fn(notScripted('containerNames')),
        imageExists: jest.fn(notScripted('imageExists')),
        pullImage: jest.fn(() => ({ done: Promise.reject(new Error('pullImage is not scripted')), cancel() {} })),
        ensurePrivateNetwork: jest.fn(notScripted('ensurePrivateNetwork')),
        create: jest.fn(notScripted('create')),
        start: jest.fn(notScripted('start')),
        stop: jest.fn(notScripted('stop')),
        restart: jest.fn(notScripted('restart')),
        remove: jest.fn(notScripted('remove')),
        followLogs: jest.fn(() => ({ done: new Promise<void>(() => {}), close() {} })),
        logsTail: jest.fn(notScripted('logsTail')),
    };
    return client;
}
