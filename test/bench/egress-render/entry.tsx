// `make bench`, Network egress: the live connections table (src/egress/ConnectionsTable.tsx)
// rendering 10,000 connections in a real browser, with PatternFly's CSS as the package loads
// it. Built by ./build.ts for the bench only; test/bench/egress-render-bench.mjs opens the
// page and calls window.aiwsEgressRenderBench.run(runs), which answers the timings.
//
// The connections come from the recorded ss output the unit tests use (with the same cgroup
// files and names, src/egress/ConnectionsTable.test.tsx): each recorded socket that is a
// connection is repeated with another port (the local one; the peer's for a connection that
// came in, so that it stays one) up to 10,000, the recorded lines that are none (listeners,
// loopback) kept once, framed as ss-snapshots.sh prints them and read by SsSnapshotReader
// and egressConnections, as the tab does.
import '@patternfly/react-core/dist/styles/base.css';
import '../../../src/fonts.css';
import '../../../src/app/app.css';
import { Card, CardBody, CardHeader, CardTitle, Page, PageSection } from '@patternfly/react-core';
import { useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { egressConnections, type EgressConnection } from '../../../src/egress/connections';
import { ConnectionsTable, PAGE_SIZE } from '../../../src/egress/ConnectionsTable';
import { EndpointMatcher, shippedEndpoints } from '../../../src/egress/endpoints';
import { SsSnapshotReader, type SsSnapshot } from '../../../src/egress/ss-snapshot-parser';
import recordedSs from '../../fixtures/ss/ss-tunapH-e-6.1-workstation.txt';
import gnomeAppCgroup from '../../fixtures/proc-cgroup/gnome-app-scope-cgmemtime5.txt';
import sessionCgroup from '../../fixtures/proc-cgroup/hybrid-session-systemd4602.txt';
import serviceCgroup from '../../fixtures/proc-cgroup/nginx-service-laurel228.txt';

export const CONNECTIONS = 10_000;

const CGROUPS: [number, string][] = [[6542, gnomeAppCgroup], [6533, sessionCgroup], [6529, serviceCgroup]];
// api.openai.com is on the shipped list; archive.example.org is not
const NAMES: Record<string, string> = { '198.51.100.7': 'api.openai.com', '2001:db8:a1e5::7': 'archive.example.org' };
const nameOf = (address: string) => NAMES[address] ?? null;
const matcher = new EndpointMatcher(shippedEndpoints());

function snapshotOf(ssLines: readonly string[]): SsSnapshot {
    const reader = new SsSnapshotReader();
    for (const line of ssLines)
        reader.push(`ss\t${line}`);
    reader.push('status\t0');
    for (const [pid, text] of CGROUPS)
        for (const line of text.split('\n').filter(l => l !== ''))
            reader.push(`cgroup\t${pid}\t${line}`);
    const snapshot = reader.push('end\t');
    if (!snapshot || snapshot.error !== null)
        throw new Error(`the snapshot did not read: ${snapshot?.error}`);
    return snapshot;
}

// netid state recv-q send-q local:port peer:port
const ENDPOINTS = /^(\S+\s+\S+\s+\S+\s+\S+\s+)(\S+):(\d+)(\s+)(\S+):(\d+)(\s)/;

/** The ss lines of one snapshot with `count` connections. */
function ssLinesWith(count: number): string[] {
    const recorded = recordedSs.split('\n').filter(line => line !== '');
    const inode = (line: string) => /\bino:(\d+)/.exec(line)?.[1] ?? null;
    const connections = egressConnections(snapshotOf(recorded), nameOf, matcher);
    // a connection's key ends with its socket's inode (unique in the recording, 0 aside)
    const byInode = new Map(connections.map(c => [c.key.slice(c.key.lastIndexOf(' ') + 1), c]));
    const kept = recorded.filter(line => !byInode.has(inode(line) ?? ''));
    const repeated = recorded.filter(line => byInode.has(inode(line) ?? ''));
    const lines = [...kept];
    for (let i = 0; i < count; i++) {
        const line = repeated[i % repeated.length];
        const inbound = byInode.get(inode(line)!)!.direction === 'inbound';
        const copy = line.replace(ENDPOINTS, (_m, head: string, local: string, localPort: string, gap: string, peer: string, peerPort: string, tail: string) =>
            inbound
                ? `${head}${local}:${localPort}${gap}${peer}:${30000 + i}${tail}`
                : `${head}${local}:${10000 + i}${gap}${peer}:${peerPort}${tail}`);
        if (copy === line)
            throw new Error(`no endpoints in: ${line}`);
        lines.push(copy);
    }
    return lines;
}

function Bench({ connections, onCommit }: { connections: readonly EgressConnection[], onCommit: () => void }) {
    // after the table's own DOM changes of this render are in the document
    useLayoutEffect(() => onCommit(), [connections, onCommit]);
    return (
        <Page>
            <PageSection isFilled>
                <Card id="egress-connections-card">
                    <CardHeader><CardTitle component="h2">Live connections</CardTitle></CardHeader>
                    <CardBody>
                        <ConnectionsTable connections={connections} />
                    </CardBody>
                </Card>
            </PageSection>
        </Page>
    );
}

/** performance.now() once the browser has drawn what is in the document: the task after the next frame's rendering. */
function afterPaint(): Promise<number> {
    return new Promise(resolve => requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(null);
    }));
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const dataRows = (container: HTMLElement) => container.querySelectorAll('tr[data-peer]');

interface Timing { ms: number, commitMs: number }

function summary(timings: Timing[], warmUp: Timing) {
    return {
        medianMs: median(timings.map(t => t.ms)),
        runsMs: timings.map(t => t.ms),
        commitMedianMs: median(timings.map(t => t.commitMs)),
        warmUpMs: warmUp.ms,
    };
}

class Mounted {
    readonly container = document.createElement('div');
    private readonly root: Root;
    private committed: (() => void) | null = null;
    private readonly onCommit = () => this.committed?.();

    constructor() {
        document.body.append(this.container);
        this.root = createRoot(this.container);
    }

    /** Renders with these connections: the time until committed and until painted. */
    async render(connections: readonly EgressConnection[]): Promise<Timing> {
        let commitAt = 0;
        const commit = new Promise<void>(resolve => {
            this.committed = () => {
                commitAt = performance.now();
                this.committed = null;
                resolve();
            };
        });
        const start = performance.now();
        this.root.render(<Bench connections={connections} onCommit={this.onCommit} />);
        await commit;
        const paintedAt = await afterPaint();
        this.expectRows();
        return { ms: round(paintedAt - start), commitMs: round(commitAt - start) };
    }

    /** Clicks "Go to next page": the time until the next rows are committed and painted. */
    async nextPage(): Promise<Timing> {
        const before = dataRows(this.container)[0];
        const button = this.container.querySelector<HTMLButtonElement>('button[aria-label="Go to next page"]');
        if (!button || button.disabled)
            throw new Error('no "Go to next page" button to click');
        let commitAt = 0;
        const changed = new Promise<void>(resolve => {
            const observer = new MutationObserver(() => {
                if (before.isConnected || dataRows(this.container).length === 0)
                    return;
                commitAt = performance.now();
                observer.disconnect();
                resolve();
            });
            observer.observe(this.container, { childList: true, subtree: true });
        });
        const start = performance.now();
        button.click();
        await changed;
        const paintedAt = await afterPaint();
        this.expectRows();
        return { ms: round(paintedAt - start), commitMs: round(commitAt - start) };
    }

    /** What the pagination says is shown ("601 - 700 of …"). */
    shownRange(): string {
        const pagination = this.container.querySelector('#egress-connections-pagination');
        return (pagination?.querySelector('.pf-v6-c-pagination__total-items') ?? pagination)?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
    }

    private expectRows() {
        const rows = dataRows(this.container).length;
        if (rows !== PAGE_SIZE)
            throw new Error(`${rows} rows in the document, not ${PAGE_SIZE}`);
    }

    unmount() {
        this.root.unmount();
        this.container.remove();
    }
}

/** `keep`: the table stays in the page at the end (to look at it). */
async function run(runs: number, keep = false) {
    // the page has shown text before the tab opens: the fonts its CSS declares are loaded
    const faces = ['400 16px "Red Hat Text"', '500 16px "Red Hat Text"', '700 16px "Red Hat Text"',
        '400 16px "Red Hat Display"', '500 16px "Red Hat Display"'];
    await Promise.all(faces.map(face => document.fonts.load(face)));
    const fontFaces = { declared: document.fonts.size, loaded: [...document.fonts].filter(face => face.status === 'loaded').length };

    const buildStart = performance.now();
    const lines = ssLinesWith(CONNECTIONS);
    // one list per render: each a new snapshot of the same sockets, as the tab gets one every 2 s
    const lists = Array.from({ length: 2 * (runs + 1) + 1 }, () => egressConnections(snapshotOf(lines), nameOf, matcher));
    const buildMs = round((performance.now() - buildStart) / lists.length);
    const connections = lists[0];
    if (lists.some(list => list.length !== CONNECTIONS))
        throw new Error(`${lists.map(list => list.length).join(', ')} connections, not ${CONNECTIONS}`);
    const inbound = connections.filter(c => c.direction === 'inbound').length;
    const flagged = connections.filter(c => c.flag !== null).length;
    let next = 0;

    // (a) the table's first render, a fresh root each time; the first one in the page is the warm-up
    const first: Timing[] = [];
    for (let i = 0; i <= runs; i++) {
        const mounted = new Mounted();
        first.push(await mounted.render(lists[next++]));
        mounted.unmount();
        await afterPaint();
    }

    // (b) a new snapshot for the mounted table, (c) its next page
    const mounted = new Mounted();
    await mounted.render(lists[next++]);
    await afterPaint();
    const snapshot: Timing[] = [];
    for (let i = 0; i <= runs; i++) {
        snapshot.push(await mounted.render(lists[next++]));
        await afterPaint();
    }
    const pages: Timing[] = [];
    for (let i = 0; i <= runs; i++) {
        pages.push(await mounted.nextPage());
        await afterPaint();
    }
    const lastRange = mounted.shownRange();
    const table = mounted.container.querySelector('#egress-connections')!.getBoundingClientRect();
    const groups = mounted.container.querySelectorAll('tbody[data-group]').length;
    if (!keep)
        mounted.unmount();

    return {
        connections: connections.length,
        sockets: lines.length,
        inbound,
        outbound: connections.length - inbound,
        flagged,
        rowsPerPage: PAGE_SIZE,
        pages: Math.ceil((connections.length - inbound) / PAGE_SIZE),
        viewport: { width: window.innerWidth, height: window.innerHeight },
        tableSize: { width: Math.round(table.width), height: Math.round(table.height) },
        groupsOnLastPage: groups,
        lastRangeShown: lastRange,
        fontFaces,
        buildConnectionsMs: buildMs,
        firstRender: summary(first.slice(1), first[0]),
        newSnapshot: summary(snapshot.slice(1), snapshot[0]),
        nextPage: summary(pages.slice(1), pages[0]),
    };
}

declare global {
    interface Window {
        aiwsEgressRenderBench?: { run: typeof run };
    }
}

window.aiwsEgressRenderBench = { run };
