// A scripted stand-in for the host's cockpit.js, for testing pkg/lib itself. Views are
// tested one level up, against fakes of pkg/lib.
import type { BasicError, Channel, ChannelOptions, Cockpit, FileHandle, HttpOptions, HttpRequest, HttpRequestOptions, Spawn, SpawnOptions } from 'cockpit';

export interface SpawnCall {
    argv: string[];
    options: SpawnOptions;
    input: string | undefined;
    /** Every input() call in order, with whether stdin stayed open (stream). */
    inputs: { data: string | undefined, stream: boolean }[];
    closedWith: string | undefined;
    /** Push output to the stream callback. */
    emit(chunk: string): void;
    /** End the process. */
    finish(result: { stdout?: string } | { error: BasicError }): void;
}

type SpawnHandler = (call: SpawnCall) => void;

export interface HttpCall {
    options: HttpOptions;
    request: HttpRequestOptions;
    closedWith: string | undefined;
    emit(chunk: string): void;
    finish(result: { body?: string } | { error: BasicError }): void;
}

/**
 * Exceptions thrown by a handler given to a fake spawn's or request's then(). Cockpit
 * 287's own deferred (cockpit.js `function P()`) does not catch them: they escape to the
 * page as an uncaught error (the shell's "Ooops!") and the derived promise never settles.
 * The fake behaves the same, records them here, and test/unit/setup.ts fails any test
 * that leaves one: pkg/lib must wrap cockpit's promises (pkg/lib/native-promise.ts).
 */
export const escapedHandlerErrors: unknown[] = [];

type Settled = { status: 'pending' } | { status: 'resolved', value: unknown } | { status: 'rejected', reason: unknown };

/** A thenable with the semantics of cockpit.js 287's deferred, settled once by the fake. */
class CockpitDeferred {
    private state: Settled = { status: 'pending' };
    private waiting: (() => void)[] = [];

    settle(result: { value: unknown } | { error: unknown }): void {
        if (this.state.status !== 'pending')
            return;
        this.state = 'error' in result ? { status: 'rejected', reason: result.error } : { status: 'resolved', value: result.value };
        const waiting = this.waiting;
        this.waiting = [];
        // never in the settling call (cockpit.js uses a 0 ms timer; a microtask keeps fake timers out of it)
        queueMicrotask(() => waiting.forEach(run => run()));
    }

    then(onResolved?: ((value: unknown) => unknown) | null, onRejected?: ((reason: unknown) => unknown) | null): CockpitDeferred {
        const derived = new CockpitDeferred();
        const run = () => {
            const state = this.state;
            const handler = state.status === 'resolved' ? onResolved : state.status === 'rejected' ? onRejected : null;
            if (typeof handler !== 'function') {
                derived.settle(state.status === 'rejected' ? { error: state.reason } : { value: state.status === 'resolved' ? state.value : undefined });
                return;
            }
            let value: unknown;
            try {
                value = handler(state.status === 'resolved' ? state.value : (state as { reason: unknown }).reason);
            } catch (error) {
                escapedHandlerErrors.push(error);
                return;
            }
            if (value && typeof (value as PromiseLike<unknown>).then === 'function')
                (value as PromiseLike<unknown>).then(v => derived.settle({ value: v }), e => derived.settle({ error: e }));
            else
                derived.settle({ value });
        };
        if (this.state.status === 'pending')
            this.waiting.push(run);
        else
            queueMicrotask(run);
        return derived;
    }

    catch(onRejected: (reason: unknown) => unknown): CockpitDeferred {
        return this.then(null, onRejected);
    }

    finally(onFinally: () => void): CockpitDeferred {
        return this.then(value => { onFinally(); return value }, reason => { onFinally(); throw reason });
    }
}

function settledOnce(): { promise: CockpitDeferred, settle(result: { value: string } | { error: BasicError }): void } {
    const promise = new CockpitDeferred();
    return { promise, settle: result => promise.settle(result) };
}

export interface ChannelCall {
    options: ChannelOptions;
    closed: boolean;
    /** Deliver a message as the bridge would. */
    emit(data: string): void;
    /** Close from the bridge's side. */
    end(problem?: string): void;
}

export const channelCalls: ChannelCall[] = [];

function makeChannel(options: ChannelOptions): Channel {
    const messageListeners: ((event: unknown, data: string) => void)[] = [];
    const closeListeners: ((event: unknown, options: { problem?: string }) => void)[] = [];
    const call: ChannelCall = {
        options,
        closed: false,
        emit(data) {
            if (!call.closed)
                messageListeners.forEach(listener => listener({}, data));
        },
        end(problem) {
            if (call.closed)
                return;
            call.closed = true;
            closeListeners.forEach(listener => listener({}, problem ? { problem } : {}));
        },
    };
    channelCalls.push(call);
    return {
        addEventListener(event: 'message' | 'close', listener: never) {
            if (event === 'message')
                messageListeners.push(listener);
            else
                closeListeners.push(listener);
        },
        close(problem?: string) {
            call.end(problem);
        },
        get valid() { return !call.closed },
    } as Channel;
}

type HttpHandler = (call: HttpCall) => void;
let httpHandler: HttpHandler = call => call.finish({ error: { problem: 'not-found', message: 'no fake http' } });
export const httpCalls: HttpCall[] = [];

export function onHttp(handler: HttpHandler): void {
    httpHandler = handler;
}

function makeHttpRequest(options: HttpOptions, request: HttpRequestOptions): HttpRequest {
    let streamCallback: ((data: string) => void) | null = null;
    const { promise, settle } = settledOnce();
    const call: HttpCall = {
        options,
        request,
        closedWith: undefined,
        emit(chunk) {
            streamCallback?.(chunk);
        },
        finish(result) {
            settle('error' in result ? result : { value: result.body ?? '' });
        },
    };
    httpCalls.push(call);
    const handle = Object.assign(promise as unknown as Promise<string>, {
        stream(callback: (data: string) => void) {
            streamCallback = callback;
            return handle;
        },
        response() {
            return handle;
        },
        input() {
            return handle;
        },
        close(problem?: string) {
            call.closedWith = problem ?? '';
            call.finish({ error: { problem: problem ?? 'terminated', message: problem ?? 'terminated' } });
        },
    }) as HttpRequest;
    queueMicrotask(() => httpHandler(call));
    return handle;
}

let spawnHandler: SpawnHandler = call => call.finish({ error: { problem: 'not-found', message: `no fake for ${call.argv[0]}` } });
export const spawnCalls: SpawnCall[] = [];
export const files = new Map<string, string | null>();
let permissionAllowed: boolean | null = true;
const permissionListeners = new Set<() => void>();
const locationListeners = new Set<() => void>();

export function onSpawn(handler: SpawnHandler): void {
    spawnHandler = handler;
}

export function setPermission(allowed: boolean | null): void {
    permissionAllowed = allowed;
    permissionListeners.forEach(listener => listener());
}

export function resetFake(): void {
    spawnCalls.length = 0;
    httpCalls.length = 0;
    channelCalls.length = 0;
    pageStatus.current = undefined;
    httpHandler = call => call.finish({ error: { problem: 'not-found', message: 'no fake http' } });
    files.clear();
    permissionAllowed = true;
    permissionListeners.clear();
    locationListeners.clear();
    location.path = [];
    location.options = {};
    spawnHandler = call => call.finish({ error: { problem: 'not-found', message: `no fake for ${call.argv[0]}` } });
}

function makeSpawn(argv: string[], options: SpawnOptions): Spawn {
    let streamCallback: ((data: string) => void) | null = null;
    let collected = '';
    const { promise, settle } = settledOnce();
    const call: SpawnCall = {
        argv,
        options,
        input: undefined,
        inputs: [],
        closedWith: undefined,
        emit(chunk) {
            if (streamCallback)
                streamCallback(chunk);
            else
                collected += chunk;
        },
        finish(result) {
            settle('error' in result ? result : { value: streamCallback ? '' : collected + (result.stdout ?? '') });
        },
    };
    spawnCalls.push(call);
    const spawn = Object.assign(promise as unknown as Promise<string>, {
        stream(callback: (data: string) => void) {
            streamCallback = callback;
            return spawn;
        },
        input(data?: string, stream?: boolean) {
            call.input = data;
            call.inputs.push({ data, stream: stream ?? false });
            return spawn;
        },
        close(problem?: string) {
            call.closedWith = problem ?? '';
            call.finish({ error: { problem: problem ?? 'terminated', message: problem ?? 'terminated' } });
        },
    }) as Spawn;
    // let the caller attach stream() before the handler produces output
    queueMicrotask(() => spawnHandler(call));
    return spawn;
}

const location = {
    path: [] as string[],
    options: {} as Record<string, string | string[]>,
    href: '',
    go(path: string[] | string, options?: Record<string, string>) {
        location.path = Array.isArray(path) ? path : path.split('/').filter(Boolean);
        location.options = options ?? {};
        locationListeners.forEach(listener => listener());
    },
    replace(path: string[] | string, options?: Record<string, string>) {
        location.go(path, options);
    },
};

function fileHandle(path: string): FileHandle {
    return {
        path,
        read: () => Promise.resolve(files.has(path) ? files.get(path) ?? null : null),
        replace(content: string | null, expectedTag?: string) {
            const current = files.get(path) ?? null;
            const tag = current === null ? '-' : `tag-${current.length}`;
            if (expectedTag !== undefined && expectedTag !== tag)
                return Promise.reject({ problem: 'change-conflict', message: 'changed' });
            files.set(path, content);
            return Promise.resolve(content === null ? '-' : `tag-${content.length}`);
        },
        modify: () => Promise.reject(new Error('not faked')),
        watch: () => ({ remove() {} }),
        close() {},
    };
}

export const pageStatus: { current: unknown } = { current: undefined };

const cockpit: Cockpit = {
    channel: options => makeChannel(options),
    spawn: (argv, options = {}) => makeSpawn(argv, options),
    script: (script, args = [], options = {}) => makeSpawn(['/bin/sh', '-c', script, '--', ...args], options),
    file: path => fileHandle(path),
    http: options => {
        const request = (req: HttpRequestOptions) => makeHttpRequest(options, req);
        return {
            get: (path, params) => request({ method: 'GET', path, ...(params ? { params } : {}) }),
            post: (path, body) => request({ method: 'POST', path, body: typeof body === 'string' ? body : JSON.stringify(body) }),
            request,
            close() {},
        };
    },
    permission: () => ({
        get allowed() { return permissionAllowed },
        addEventListener: (_event: 'changed', listener: () => void) => { permissionListeners.add(listener) },
        removeEventListener: (_event: 'changed', listener: () => void) => { permissionListeners.delete(listener) },
        close() {},
    }),
    location,
    transport: {
        wait: callback => callback(),
        // the shell's "notify" control message carries the page status
        control: (command, options) => {
            if (command === 'notify' && 'page_status' in options)
                pageStatus.current = options.page_status;
        },
        close() {},
        options: {},
    },
    language: 'en',
    gettext: (...args: string[]) => args[args.length - 1],
    ngettext: (...args: (string | number)[]) => {
        const n = args[args.length - 1] as number;
        return (n === 1 ? args[args.length - 3] : args[args.length - 2]) as string;
    },
    format: (template: string, ...args: unknown[]) => {
        const values = (args.length === 1 && typeof args[0] === 'object' ? args[0] : args) as Record<string, unknown>;
        return template.replace(/\$([0-9a-zA-Z_]+)/g, (_match, key: string) => String(values[key] ?? ''));
    },
    addEventListener: (_event, listener) => { locationListeners.add(listener) },
    removeEventListener: (_event, listener) => { locationListeners.delete(listener) },
    hidden: false,
} as Cockpit;

export default cockpit;
