// The log as shown and exported: verdicts, names, flags and the programs seen, from
// recorded journal entries carrying recorded nf_log lines under our prefixes.
import { readFixture } from '../../test/unit/fixtures';
import { auditCsv, auditJson, auditRows, sightingKey } from './audit-log';
import { parseAuditJournal } from './audit-log-parser';
import { EndpointMatcher, shippedEndpoints } from './endpoints';

const envelope = JSON.parse(readFixture('journal/journalctl-transport-kernel-o-json-output-fields-n3-252.json').split('\n')[0]) as Record<string, string>;
const nflog = readFixture('journal/nflog-ipv4-tcp-syn-uid-gid-iptables-chirhonul.txt').split('\n')[0];
const packet = nflog.slice(nflog.indexOf('IN='));

function entry(prefix: string, dst: string, i: number): string {
    return JSON.stringify({
        ...envelope,
        __CURSOR: `${envelope.__CURSOR};i=${i}`,
        __REALTIME_TIMESTAMP: String(Number(envelope.__REALTIME_TIMESTAMP) + i),
        MESSAGE: prefix + packet.replace(/DST=\S+/, `DST=${dst}`),
    });
}

const journal = parseAuditJournal([
    entry('aiws-egress: ', '203.0.113.10', 1),
    entry('aiws-egress-deny: ', '203.0.113.20', 2),
].join('\n') + '\n');
const matcher = new EndpointMatcher(shippedEndpoints());
const names = new Map([['203.0.113.10', 'api.openai.com']]);
const first = journal.events[0];

test('the recorded line reads as two events of ours', () => {
    expect(journal.problemCount).toBe(0);
    expect(journal.events.map(e => [e.prefix, e.dst])).toEqual([['aiws-egress: ', '203.0.113.10'], ['aiws-egress-deny: ', '203.0.113.20']]);
    expect(first.uid).toBeDefined();
});

test('verdict, name, flag and the programs seen with the same uid, destination and port', () => {
    const sightings = new Map([[sightingKey(first.uid ?? null, '203.0.113.10', first.dport ?? null), ['chat-agent']]]);
    const rows = auditRows(journal.events, address => names.get(address) ?? null, matcher, sightings);
    expect(rows.map(r => [r.verdict, r.destinationName, r.flag?.category ?? null, r.programs])).toEqual([
        ['allowed', 'api.openai.com', 'cloud-ai', ['chat-agent']],
        ['denied', null, null, []],
    ]);
});

test('CSV: a header, one line an event, CRLF, and a formula-looking field defused', () => {
    const rows = auditRows(journal.events, address => names.get(address) ?? null, matcher);
    const csv = auditCsv([...rows, { ...rows[1], programs: ['=HYPERLINK("x")'] }]);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('time,verdict,protocol,source,source_port,destination,destination_port,destination_name,flag,vendor,uid,programs');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT[\d:.]+Z,allowed,TCP,[\d.]+,\d+,203\.0\.113\.10,\d+,api\.openai\.com,cloud-ai,OpenAI,\d+,$/);
    expect(lines[3].endsWith(',"\'=HYPERLINK(""x"")"')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
});

test('JSON: every event with its time, flag and cursor', () => {
    const rows = auditRows(journal.events, address => names.get(address) ?? null, matcher);
    const parsed = JSON.parse(auditJson(rows)) as { verdict: string, flag: { category: string } | null, cursor: string }[];
    expect(parsed.map(r => [r.verdict, r.flag?.category ?? null])).toEqual([['allowed', 'cloud-ai'], ['denied', null]]);
    expect(parsed[0].cursor).toBe(first.cursor);
});
