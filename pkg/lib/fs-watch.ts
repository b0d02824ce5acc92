// Change notification for host files and directories through the bridge's fswatch1
// channel: inotify inside the bridge, so watching starts no host process (DESIGN
// decision 6). A directory watch reports its direct children.
import cockpit from 'cockpit';
import { hostPath } from './host-root';

export type FsEvent = 'changed' | 'changes-done-hint' | 'created' | 'deleted' | 'attribute-changed' | 'moved' | 'pre-unmount' | 'unmounted';

export interface FsChange {
    /** The watched path as the caller named it (without the root prefix). */
    watched: string;
    event: FsEvent | string;
    /** The host path that changed, as the bridge reports it (with the root prefix). */
    path: string;
}

export interface FsWatch {
    close(): void;
}

interface WatchMessage {
    event?: string;
    path?: string;
}

/**
 * Watch each path (absolute, root prefix added) and call onChange for every event.
 * A path that does not exist now is simply not watched: the caller watches its parent
 * when it needs to see it appear.
 */
export function watchPaths(paths: string[], onChange: (change: FsChange) => void): FsWatch {
    let closed = false;
    const channels: { close(): void }[] = [];

    paths.forEach(async watched => {
        const path = await hostPath(watched);
        if (closed)
            return;
        const channel = cockpit.channel({ payload: 'fswatch1', path });
        channel.addEventListener('message', (_event, data) => {
            let message: WatchMessage;
            try {
                message = JSON.parse(data) as WatchMessage;
            } catch {
                return;
            }
            if (!closed && typeof message.event === 'string')
                onChange({ watched, event: message.event, path: message.path ?? path });
        });
        channels.push(channel);
    });

    return {
        close() {
            closed = true;
            channels.forEach(channel => channel.close());
        },
    };
}

/**
 * Collapse a burst of calls into one: run `action` once `quietMs` after the last call,
 * but no later than `maxWaitMs` after the first, so a busy directory (a pull writing
 * thousands of objects) still refreshes the view regularly without a read per event.
 */
export function debounce(action: () => void, quietMs: number, maxWaitMs: number): { trigger(): void, cancel(): void } {
    let quietTimer: ReturnType<typeof setTimeout> | null = null;
    let maxTimer: ReturnType<typeof setTimeout> | null = null;
    const fire = () => {
        cancel();
        action();
    };
    const cancel = () => {
        if (quietTimer)
            clearTimeout(quietTimer);
        if (maxTimer)
            clearTimeout(maxTimer);
        quietTimer = maxTimer = null;
    };
    return {
        trigger() {
            if (quietTimer)
                clearTimeout(quietTimer);
            quietTimer = setTimeout(fire, quietMs);
            if (!maxTimer)
                maxTimer = setTimeout(fire, maxWaitMs);
        },
        cancel,
    };
}
