// Who reached flagged endpoints, from the audit journal recorded in the egress world.
import { readFixture } from '../../test/unit/fixtures';
import { auditRows } from './audit-log';
import { parseAuditJournal } from './audit-log-parser';
import { EndpointMatcher, shippedEndpoints } from './endpoints';
import { flaggedSenders } from './flagged-senders';

const journal = parseAuditJournal(readFixture('journal/journalctl-kernel-grep-aiws-egress-audit-egress-world-252.json'));
const NAMES: Record<string, string> = { '203.0.113.10': 'api.openai.com', '203.0.113.12': 'huggingface.co', '203.0.113.20': 'allowed.example.net' };
const rows = auditRows(journal.events, address => NAMES[address] ?? null, new EndpointMatcher(shippedEndpoints()));

test('the recording: 9 lines read, the forwarded ones without a UID', () => {
    expect(journal.problemCount).toBe(0);
    expect(rows).toHaveLength(9);
    expect(rows.filter(r => r.uid === null).map(r => r.source)).toEqual(['10.213.9.2', '10.213.9.2', '10.213.9.2']);
});

test('a sender is a user of this machine, or the address that sent through it', () => {
    const senders = flaggedSenders(rows);
    expect(senders.map(s => [s.key, s.uid, s.source, s.categories, s.vendors, s.connections])).toEqual(expect.arrayContaining([
        ['uid 65534', 65534, null, ['cloud-ai'], ['OpenAI'], 3],
        ['from 10.213.9.2', null, '10.213.9.2', ['model-hub'], ['Hugging Face'], 3],
    ]));
    // update-agent (uid 0) reached only allowed.example.net, which carries no flag
    expect(senders).toHaveLength(2);
    expect(senders[0].lastUs).toBeGreaterThanOrEqual(senders[1].lastUs);
});

test('no flagged rows, no senders', () => {
    expect(flaggedSenders(rows.filter(r => r.flag === null))).toEqual([]);
});
