// The status Cockpit's shell shows beside this page's menu entry: how an admin on another
// page, or on Cockpit's own overview, learns that the GPU driver is broken.
// It is a "notify" control message the shell keeps per page (what Cockpit's own
// pkg/lib/notifications.js page_status.set_own sends; cockpit.js has no helper for it).
import cockpit from 'cockpit';
import type { PageStatus } from 'cockpit';

export type PageStatusLevel = 'ok' | 'info' | 'warning' | 'error';

export function setPageStatus(level: PageStatusLevel, title: string): void {
    const status: PageStatus | null = level === 'ok' ? null : { type: level, title };
    cockpit.transport.control('notify', { page_status: status });
}
