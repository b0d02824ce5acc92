// The status Cockpit's shell shows beside this page's menu entry: how an admin on another
// page, or on Cockpit's own overview, learns that the GPU driver is broken.
import cockpit from 'cockpit';

export type PageStatusLevel = 'ok' | 'info' | 'warning' | 'error';

export function setPageStatus(level: PageStatusLevel, title: string): void {
    cockpit.page_status.set_own(level === 'ok' ? null : { type: level, title });
}
