// resolvectl monitor --json=short as systemd-resolved 252 printed it (test/fixtures/resolvectl).
import { readFixture } from '../../test/unit/fixtures';
import { parseResolvedMonitorLine } from './resolved-monitor-parser';

const lines = readFixture('resolvectl/resolvectl-monitor-json-short-252.txt').split('\n').filter(line => line !== '');

test('each answered query: its addresses with the name asked for; NXDOMAIN: none', () => {
    expect(lines.map(parseResolvedMonitorLine)).toEqual([
        [{ address: '203.0.113.80', name: 'registry.npmjs.org' }],
        [],
        [{ address: '203.0.113.80', name: 'deb.debian.org' }],
        [{ address: '203.0.113.80', name: 'registry.npmjs.org' }],
    ]);
});

// the shapes below are the recorded line with one field changed
const recorded = JSON.parse(lines[0]) as { question: { name: string }[], answer: { rr: Record<string, unknown> }[] };

test('behind a CNAME the name is still the one asked for; the CNAME record itself names no address', () => {
    const withCname = {
        ...recorded,
        answer: [
            { rr: { key: { class: 1, type: 5, name: 'registry.npmjs.org' }, name: 'cdn.example.net' } },
            { rr: { key: { class: 1, type: 1, name: 'cdn.example.net' }, address: [198, 51, 100, 7] } },
            { rr: { key: { class: 1, type: 28, name: 'cdn.example.net' }, address: [32, 1, 13, 184, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7] } },
        ],
    };
    expect(parseResolvedMonitorLine(JSON.stringify(withCname))).toEqual([
        { address: '198.51.100.7', name: 'registry.npmjs.org' },
        { address: '2001:db8::7', name: 'registry.npmjs.org' },
    ]);
});

test('blank lines are nothing; what is not resolvectl\'s is refused', () => {
    expect(parseResolvedMonitorLine('')).toBeNull();
    expect(() => parseResolvedMonitorLine('→ Q: registry.npmjs.org IN A')).toThrow('not JSON');
    expect(() => parseResolvedMonitorLine('{"state":"success"}')).toThrow('no "question"');
    const shortAddress = { ...recorded, answer: [{ rr: { ...recorded.answer[0].rr, address: [203, 0, 113] } }] };
    expect(() => parseResolvedMonitorLine(JSON.stringify(shortAddress))).toThrow('not 4 bytes');
});
