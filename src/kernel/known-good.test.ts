// The known-good file: reading it line by line (the lines are in record-known-good.sh's
// format, which record-known-good.test.ts checks against this parser), writing it back,
// and joining it with recorded statuses.
import { readFixture } from '../../test/unit/fixtures';
import { parseRpmOstreeStatus } from '../deployments/rpm-ostree-status-parser';
import type { KnownGoodRecord } from './kernel';
import { KNOWN_GOOD_MAX_LINES, alreadyRecorded, appendRecord, knownGoodFor, newestFirst, parseKnownGood, recordFromHealth, recordOfLine, serializeRecord } from './known-good';

const silverblue = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json'));
const [booted, rollback] = silverblue.deployments;

function record(over: Partial<KnownGoodRecord> = {}): KnownGoodRecord {
    return {
        checksum: booted.checksum,
        osname: 'fedora-silverblue',
        version: '33.21',
        kernel: '5.9.16-200.fc33.x86_64',
        driverVersion: '570.124.04',
        gpus: ['NVIDIA GeForce RTX 3060'],
        recordedAt: '2026-03-01T08:00:00Z',
        recordedBy: 'boot',
        ...over,
    };
}

const line = (over: Partial<KnownGoodRecord> = {}) => serializeRecord(record(over));

describe('parseKnownGood', () => {
    test('a record round-trips through its line', () => {
        expect(parseKnownGood(line() + '\n')).toEqual({ records: [record()], ignoredLines: 0 });
        expect(recordOfLine(line({ osname: null, version: null, recordedBy: 'page', recordedAt: '2026-03-01T08:00:00.123Z' })))
            .toEqual(record({ osname: null, version: null, recordedBy: 'page', recordedAt: '2026-03-01T08:00:00.123Z' }));
    });

    test.each([
        ['not JSON', '{"checksum": '],
        ['not an object', '["a"]'],
        ['a short checksum', line({ checksum: 'abc123' })],
        ['an upper-case checksum', line({ checksum: booted.checksum.toUpperCase() })],
        ['an empty kernel', line({ kernel: '' })],
        ['a blank driver version', line({ driverVersion: '  ' })],
        ['a time that is not ISO UTC', line({ recordedAt: 'Mon Mar  1 08:00:00 2026' })],
        ['a local time', line({ recordedAt: '2026-03-01T08:00:00+01:00' })],
        ['an impossible date', line({ recordedAt: '2026-13-45T08:00:00Z' })],
        ['an unknown writer', JSON.stringify({ ...record(), recordedBy: 'someone' })],
        ['GPUs that are not names', JSON.stringify({ ...record(), gpus: [1] })],
        ['GPUs not a list', JSON.stringify({ ...record(), gpus: 'NVIDIA' })],
        ['an empty osname', JSON.stringify({ ...record(), osname: '' })],
        ['a version that is a number', JSON.stringify({ ...record(), version: 33 })],
    ])('%s: the line is ignored and counted, the others still read', (_name, bad) => {
        const other = line({ checksum: rollback.checksum });
        expect(parseKnownGood(`${bad}\n${other}\n`)).toEqual({ records: [record({ checksum: rollback.checksum })], ignoredLines: 1 });
    });

    test('blank lines are neither records nor damage; missing osname/version keys read as null', () => {
        const rest: Partial<KnownGoodRecord> = record();
        delete rest.osname;
        delete rest.version;
        expect(parseKnownGood(`\n${JSON.stringify(rest)}\n\n  \n`)).toEqual({ records: [record({ osname: null, version: null })], ignoredLines: 0 });
    });

    test('one record per checksum: the newest by time, a later line on a tie; oldest first', () => {
        const text = [
            line({ kernel: 'newest', recordedAt: '2026-03-05T00:00:00Z' }),
            line({ checksum: rollback.checksum, recordedAt: '2026-03-02T00:00:00Z' }),
            line({ kernel: 'old', recordedAt: '2026-03-01T00:00:00Z' }),
            line({ checksum: rollback.checksum, kernel: 'tie-later', recordedAt: '2026-03-02T00:00:00Z' }),
        ].join('\n');
        const { records } = parseKnownGood(text);
        expect(records.map(r => [r.checksum, r.kernel])).toEqual([[rollback.checksum, 'tie-later'], [booted.checksum, 'newest']]);
    });
});

describe('appendRecord', () => {
    const other = (i: number) => line({ checksum: i.toString(16).padStart(64, 'a') });

    test('appends one line, ending the file with a newline', () => {
        expect(appendRecord('', record())).toBe(line() + '\n');
        expect(appendRecord(other(1), record())).toBe(`${other(1)}\n${line()}\n`);
    });

    test(`keeps at most ${KNOWN_GOOD_MAX_LINES} lines, the oldest going first`, () => {
        const text = Array.from({ length: 70 }, (_, i) => other(i)).join('\n') + '\n';
        const lines = appendRecord(text, record()).trimEnd().split('\n');
        expect(lines).toHaveLength(KNOWN_GOOD_MAX_LINES);
        expect(lines[0]).toBe(other(21));
        expect(lines[KNOWN_GOOD_MAX_LINES - 1]).toBe(line());
    });

    test('replaces the lines of the same checksum, keeps corrupt ones as they are', () => {
        const corrupt = '{"checksum":"abc","trunc';
        const result = appendRecord(`${line({ kernel: 'old' })}\n${corrupt}\n${other(1)}`, record({ kernel: 'new' }));
        expect(result).toBe(`${corrupt}\n${other(1)}\n${line({ kernel: 'new' })}\n`);
        expect(parseKnownGood(result).ignoredLines).toBe(1);
    });
});

describe('knownGoodFor', () => {
    test('deployments by id, matched by checksum', () => {
        const file = parseKnownGood(line({ checksum: rollback.checksum }));
        const map = knownGoodFor(silverblue.deployments, file);
        expect([...map.keys()]).toEqual([rollback.id]);
        expect(map.get(rollback.id)?.checksum).toBe(rollback.checksum);
    });

    test('a record of another stateroot does not count; one without osname does', () => {
        expect(knownGoodFor(silverblue.deployments, parseKnownGood(line({ osname: 'other' }))).size).toBe(0);
        expect(knownGoodFor(silverblue.deployments, parseKnownGood(line({ osname: null }))).has(booted.id)).toBe(true);
    });

    test('a record of a deleted deployment matches nothing', () => {
        expect(knownGoodFor(silverblue.deployments, parseKnownGood(line({ checksum: 'f'.repeat(64) }))).size).toBe(0);
    });
});

describe('recordFromHealth', () => {
    const now = new Date('2026-03-01T08:00:00.000Z');

    test('the booted deployment with its kernel, driver and GPUs, written by the page', () => {
        expect(recordFromHealth({ booted, kernel: '5.9.16-200.fc33.x86_64\n', driverVersion: '570.124.04', gpus: ['NVIDIA GeForce RTX 3060'], now }))
            .toEqual(record({ recordedBy: 'page', recordedAt: '2026-03-01T08:00:00.000Z' }));
    });

    test.each([
        ['no kernel', { kernel: null }],
        ['no driver', { driverVersion: '' }],
        ['no GPU', { gpus: [] }],
        ['a deployment that is not booted', { booted: rollback }],
    ])('%s: no record', (_name, over) => {
        expect(recordFromHealth({ booted, kernel: 'k', driverVersion: 'd', gpus: ['g'], now, ...over })).toBeNull();
    });
});

test('alreadyRecorded: same deployment, kernel and driver', () => {
    const file = parseKnownGood(line());
    expect(alreadyRecorded(file, record({ recordedBy: 'page', recordedAt: '2026-04-01T00:00:00Z' }))).toBe(true);
    expect(alreadyRecorded(file, record({ driverVersion: '580.65.06' }))).toBe(false);
    expect(alreadyRecorded(file, record({ kernel: 'other' }))).toBe(false);
});

test('newestFirst: by commit time, then list position; no time last', () => {
    const ds = [
        { index: 0, timestamp: 100 },
        { index: 1, timestamp: 300 },
        { index: 2, timestamp: null },
        { index: 3, timestamp: 300 },
    ];
    expect(newestFirst(ds).map(d => d.index)).toEqual([1, 3, 0, 2]);
});
