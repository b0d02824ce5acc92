// The auto-pin state files and plan. Deployments are the recorded Silverblue 33 booted
// deployment copied into a longer list (checksums, times, pins changed per case), because
// no recording has four or more deployments.
import { readFixture } from '../../test/unit/fixtures';
import type { Deployment } from '../deployments/deployment';
import { parseRpmOstreeStatus } from '../deployments/rpm-ostree-status-parser';
import { DEFAULT_SETTINGS, MAX_KEEP_PINNED, autoPinPlan, parseAutoPins, parseSettings, serializeAutoPins, serializeSettings } from './auto-pins';
import type { KnownGoodRecord } from './kernel';

const [template] = parseRpmOstreeStatus(readFixture('rpm-ostree/puptoo-silverblue33-layered-override-replace.json')).deployments;

const csum = (n: number) => n.toString(16).padStart(64, '0');

/** Deployment n: index n, newer commits first (as ostree lists them after upgrades). */
function deployment(n: number, over: Partial<Deployment> = {}): Deployment {
    return { ...template, index: n, id: `fedora-silverblue-${csum(n)}.0`, checksum: csum(n), timestamp: 1000 - n, booted: n === 0, staged: false, pinned: false, ...over };
}

function good(...ds: Deployment[]): Map<string, KnownGoodRecord> {
    return new Map(ds.map(d => [d.id, { checksum: d.checksum, osname: d.osname, version: d.version, kernel: 'k', driverVersion: 'd', gpus: ['g'], recordedAt: '2026-01-01T00:00:00Z', recordedBy: 'boot' }]));
}

describe('state files', () => {
    test('auto-pins: missing is empty, no notice; round-trips', () => {
        expect(parseAutoPins(null)).toEqual({ value: { checksums: [] }, notice: false });
        const pins = { checksums: [csum(1), csum(2)] };
        expect(parseAutoPins(serializeAutoPins(pins))).toEqual({ value: pins, notice: false });
    });

    test.each([
        ['not JSON', '{"version":1,'],
        ['another version', '{"version":2,"checksums":[]}'],
        ['no list', '{"version":1,"checksums":"abc"}'],
        ['a list', '[]'],
    ])('auto-pins %s: empty, with a notice', (_name, text) => {
        expect(parseAutoPins(text)).toEqual({ value: { checksums: [] }, notice: true });
    });

    test('auto-pins: bad entries are dropped with a notice, the good ones kept', () => {
        expect(parseAutoPins(JSON.stringify({ version: 1, checksums: [csum(1), 'nope', 7, csum(1)] })))
            .toEqual({ value: { checksums: [csum(1)] }, notice: true });
    });

    test('settings: missing is the default (off), no notice; round-trips', () => {
        expect(parseSettings(null)).toEqual({ value: DEFAULT_SETTINGS, notice: false });
        expect(DEFAULT_SETTINGS.keepKnownGoodPinned).toBe(0);
        expect(parseSettings(serializeSettings({ keepKnownGoodPinned: 2 }))).toEqual({ value: { keepKnownGoodPinned: 2 }, notice: false });
    });

    test.each([
        ['not JSON', 'keep=2'],
        ['another version', '{"version":2,"keepKnownGoodPinned":2}'],
        ['negative', '{"version":1,"keepKnownGoodPinned":-1}'],
        ['fractional', '{"version":1,"keepKnownGoodPinned":1.5}'],
        ['text', '{"version":1,"keepKnownGoodPinned":"2"}'],
        ['too many', `{"version":1,"keepKnownGoodPinned":${MAX_KEEP_PINNED + 1}}`],
    ])('settings %s: the default, with a notice', (_name, text) => {
        expect(parseSettings(text)).toEqual({ value: DEFAULT_SETTINGS, notice: true });
    });
});

describe('autoPinPlan', () => {
    test('pins the newest `keep` known-good deployments that are not pinned yet, and remembers them', () => {
        const ds = [deployment(0), deployment(1), deployment(2), deployment(3)];
        const plan = autoPinPlan(ds, good(ds[0], ds[2], ds[3]), { checksums: [] }, 2);
        expect(plan).toEqual({ pin: [0, 2], unpin: [], autoPins: [csum(0), csum(2)] });
    });

    test('newest means the newest commit, not the list position', () => {
        const ds = [deployment(0, { timestamp: 10 }), deployment(1, { timestamp: 30 }), deployment(2, { timestamp: 20 })];
        expect(autoPinPlan(ds, good(...ds), { checksums: [] }, 1).pin).toEqual([1]);
    });

    test('unpins only the automatic pins that fell out of the newest `keep`', () => {
        const ds = [deployment(0), deployment(1), deployment(2, { pinned: true }), deployment(3, { pinned: true })];
        const plan = autoPinPlan(ds, good(...ds), { checksums: [csum(2), csum(3)] }, 2);
        expect(plan).toEqual({ pin: [0, 1], unpin: [2, 3], autoPins: [csum(0), csum(1)] });
    });

    test('an automatic pin that is still among the newest stays, and stays ours', () => {
        const ds = [deployment(0), deployment(1, { pinned: true })];
        expect(autoPinPlan(ds, good(...ds), { checksums: [csum(1)] }, 2)).toEqual({ pin: [0], unpin: [], autoPins: [csum(0), csum(1)] });
    });

    test('never touches a pin the admin made, not even by adopting it', () => {
        const ds = [deployment(0), deployment(1, { pinned: true }), deployment(2, { pinned: true })];
        // 1 is among the newest but pinned by the admin; 2 fell out but is not ours
        const plan = autoPinPlan(ds, good(...ds), { checksums: [] }, 2);
        expect(plan).toEqual({ pin: [0], unpin: [], autoPins: [csum(0)] });
    });

    test('keep = 0 unpins every automatic pin and nothing else', () => {
        const ds = [deployment(0, { pinned: true }), deployment(1, { pinned: true }), deployment(2, { pinned: true })];
        expect(autoPinPlan(ds, good(...ds), { checksums: [csum(0), csum(2)] }, 0)).toEqual({ pin: [], unpin: [0, 2], autoPins: [] });
    });

    test('a deployment not known-good is never pinned; a staged one never either', () => {
        const ds = [deployment(0, { staged: true, booted: false }), deployment(1, { booted: true }), deployment(2)];
        const plan = autoPinPlan(ds, good(ds[0], ds[1]), { checksums: [] }, 3);
        expect(plan).toEqual({ pin: [1], unpin: [], autoPins: [csum(1)] });
    });

    test('an automatic pin that is no longer known-good falls out and is unpinned', () => {
        const ds = [deployment(0), deployment(1, { pinned: true })];
        expect(autoPinPlan(ds, good(ds[0]), { checksums: [csum(1)] }, 2)).toEqual({ pin: [0], unpin: [1], autoPins: [csum(0)] });
    });

    test('remembered checksums of deleted deployments are forgotten', () => {
        const ds = [deployment(0, { pinned: true })];
        expect(autoPinPlan(ds, good(...ds), { checksums: [csum(0), csum(9)] }, 1).autoPins).toEqual([csum(0)]);
    });
});
