// `make bench`, Network egress part (issue 7): parse time of 50,000 ss lines and load time
// of 100,000 logged events, each from recorded lines (test/fixtures) repeated with other
// ports and addresses, median of 5 runs after one warm-up. Prints one JSON object.
// Run: node -r ts-node/register -r ./test/bench/cockpit-alias.js test/bench/egress-bench.ts
import fs from 'node:fs';
import path from 'node:path';
import { parseAuditJournal } from '../../src/egress/audit-log-parser';
import { auditRows } from '../../src/egress/audit-log';
import { egressConnections } from '../../src/egress/connections';
import { EndpointMatcher, shippedEndpoints } from '../../src/egress/endpoints';
import { SsSnapshotReader } from '../../src/egress/ss-snapshot-parser';
import { parseSs } from '../../src/egress/ss-parser';

const fixtures = path.join(__dirname, '../fixtures');
const read = (relative: string) => fs.readFileSync(path.join(fixtures, relative), 'utf8');

const SS_LINES = 50_000;
const EVENTS = 100_000;
const RUNS = 5;

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

function time<T>(work: () => T): { medianMs: number, runsMs: number[], result: T } {
    let result = work();
    const runsMs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
        const start = process.hrtime.bigint();
        result = work();
        runsMs.push(Math.round(Number(process.hrtime.bigint() - start) / 1e5) / 10);
    }
    return { medianMs: median(runsMs), runsMs, result };
}

// ss: the recorded workstation lines, their local ports changed so that every line is its own socket
const ssRecorded = read('ss/ss-tunpH-e-cgroup-6.1-workstation.txt').split('\n').filter(line => /^(tcp|udp)\s/.test(line));
const ssLines: string[] = [];
for (let i = 0; ssLines.length < SS_LINES; i++) {
    const line = ssRecorded[i % ssRecorded.length];
    ssLines.push(line.replace(/:(\d+)(\s)/, (_m, _port: string, space: string) => `:${1024 + (i % 60000)}${space}`));
}
const ssText = ssLines.join('\n') + '\n';
const framed = ssLines.map(line => `ss\t${line}`).concat(['status\t0', 'end\t']);
const matcher = new EndpointMatcher(shippedEndpoints());

const ssParse = time(() => parseSs(ssText));
const ssSnapshot = time(() => {
    const reader = new SsSnapshotReader();
    let snapshot = null;
    for (const line of framed)
        snapshot = reader.push(line) ?? snapshot;
    return egressConnections(snapshot!, () => 'api.openai.com', matcher);
});

// journal: a recorded kernel entry of `journalctl -o json`, its MESSAGE one of our lines
const envelope = JSON.parse(read('journal/journalctl-transport-kernel-o-json-output-fields-n3-252.json').split('\n')[0]) as Record<string, string>;
const nflog = read('journal/nflog-ipv4-tcp-syn-uid-gid-iptables-chirhonul.txt').split('\n')[0];
const message = 'aiws-egress: ' + nflog.slice(nflog.indexOf('IN='));
const journalLines: string[] = [];
const realtime = Number(envelope.__REALTIME_TIMESTAMP);
for (let i = 0; i < EVENTS; i++) {
    journalLines.push(JSON.stringify({
        ...envelope,
        __CURSOR: `${envelope.__CURSOR};i=${i.toString(16)}`,
        __REALTIME_TIMESTAMP: String(realtime + i * 1000),
        MESSAGE: message.replace(/SPT=\d+/, `SPT=${1024 + (i % 60000)}`).replace(/DST=(\d+\.\d+\.\d+)\.\d+/, (_m, net: string) => `DST=${net}.${i % 250}`),
    }));
}
const journalText = journalLines.join('\n') + '\n';
const journalLoad = time(() => {
    const journal = parseAuditJournal(journalText);
    return { journal, rows: auditRows(journal.events, () => null, matcher) };
});

process.stdout.write(JSON.stringify({
    ssLines: SS_LINES,
    ssParse: { medianMs: ssParse.medianMs, runsMs: ssParse.runsMs, sockets: ssParse.result.length },
    ssSnapshotToConnections: { medianMs: ssSnapshot.medianMs, runsMs: ssSnapshot.runsMs, connections: ssSnapshot.result.length },
    events: EVENTS,
    journalLoad: {
        medianMs: journalLoad.medianMs, runsMs: journalLoad.runsMs,
        events: journalLoad.result.journal.events.length, problems: journalLoad.result.journal.problemCount,
        bytes: Buffer.byteLength(journalText),
    },
}) + '\n');
