// Typings for the part of the host's cockpit.js (../base1/cockpit.js) that this package uses.
// Only pkg/lib imports "cockpit"; features go through the typed helpers beside this file.

declare module 'cockpit' {
    export type Superuser = 'require' | 'try';

    export interface SpawnOptions {
        superuser?: Superuser;
        err?: 'out' | 'ignore' | 'message';
        environ?: string[];
        directory?: string;
        pty?: boolean;
        binary?: false;
    }

    /** Rejection value of cockpit.spawn, cockpit.file and cockpit.http. */
    export interface BasicError {
        problem: string | null;
        message: string;
        exit_status?: number | null;
        exit_signal?: string | null;
        status?: number;
        reason?: string;
    }

    export interface Spawn extends Promise<string> {
        stream(callback: (data: string) => void): Spawn;
        input(data?: string, stream?: boolean): Spawn;
        close(problem?: string): void;
    }

    export interface FileHandle<T = string> {
        read(): Promise<T | null>;
        replace(content: T | null, expectedTag?: string): Promise<string>;
        modify(callback: (old: T | null) => T | null, initialContent?: T | null, initialTag?: string): Promise<[T | null, string]>;
        watch(callback: (content: T | null, tag: string, error: BasicError | null) => void, options?: { read?: boolean }): { remove(): void };
        close(): void;
        path: string;
    }

    export interface FileOptions {
        superuser?: Superuser;
        max_read_size?: number;
    }

    export interface HttpRequestOptions {
        method: string;
        path: string;
        headers?: Record<string, string>;
        params?: Record<string, string>;
        body?: string;
    }

    export interface HttpRequest extends Promise<string> {
        /** Text chunks, or Uint8Array ones from a client opened with binary: true. */
        stream<T extends string | Uint8Array = string>(callback: (data: T) => void): HttpRequest;
        response(callback: (status: number, headers: Record<string, string>) => void): HttpRequest;
        input(data: string, stream?: boolean): HttpRequest;
        close(problem?: string): void;
    }

    export interface HttpClient {
        get(path: string, params?: Record<string, string>, headers?: Record<string, string>): HttpRequest;
        post(path: string, body?: string | object, headers?: Record<string, string>): HttpRequest;
        request(options: HttpRequestOptions): HttpRequest;
        close(): void;
    }

    export interface HttpOptions {
        unix?: string;
        address?: string;
        port?: number;
        superuser?: Superuser;
        headers?: Record<string, string>;
        /** Deliver bodies as Uint8Array (multiplexed logs are binary). */
        binary?: boolean;
    }

    export interface Permission {
        allowed: boolean | null;
        addEventListener(event: 'changed', listener: () => void): void;
        removeEventListener(event: 'changed', listener: () => void): void;
        close(): void;
    }

    export interface Location {
        path: string[];
        options: Record<string, string | string[]>;
        href: string;
        go(path: string[] | string, options?: Record<string, string>): void;
        replace(path: string[] | string, options?: Record<string, string>): void;
    }

    export interface Transport {
        wait(callback: () => void): void;
        /** A control message to the shell (e.g. "notify" with a page_status). */
        control(command: string, options: Record<string, unknown>): void;
        close(problem?: string): void;
        options: Record<string, unknown>;
    }

    export interface ChannelOptions {
        payload: string;
        path?: string;
        superuser?: Superuser;
        [option: string]: unknown;
    }

    /** A raw bridge channel (fswatch1 and friends). */
    export interface Channel {
        addEventListener(event: 'message', listener: (event: unknown, data: string) => void): void;
        addEventListener(event: 'close', listener: (event: unknown, options: { problem?: string, message?: string }) => void): void;
        close(problem?: string): void;
        valid: boolean;
    }

    /** What Cockpit's shell shows beside the page's menu entry (and its overview). */
    export interface PageStatus {
        type: 'info' | 'warning' | 'error';
        title: string;
        details?: Record<string, unknown>;
    }

    export interface Cockpit {
        channel(options: ChannelOptions): Channel;
        spawn(argv: string[], options?: SpawnOptions): Spawn;
        script(script: string, args?: string[], options?: SpawnOptions): Spawn;
        file(path: string, options?: FileOptions): FileHandle;
        http(options: HttpOptions): HttpClient;
        permission(options: { admin: boolean }): Permission;
        location: Location;
        transport: Transport;
        language: string;
        gettext(message: string): string;
        gettext(context: string, message: string): string;
        ngettext(singular: string, plural: string, n: number): string;
        ngettext(context: string, singular: string, plural: string, n: number): string;
        format(template: string, ...args: (string | number)[]): string;
        format(template: string, args: Record<string, string | number>): string;
        addEventListener(event: 'locationchanged' | 'visibilitychange', listener: () => void): void;
        removeEventListener(event: 'locationchanged' | 'visibilitychange', listener: () => void): void;
        hidden: boolean;
    }

    const cockpit: Cockpit;
    export default cockpit;
}
