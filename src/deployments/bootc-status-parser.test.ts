import fs from 'fs';
import path from 'path';
import { parseBootcStatus } from './bootc-status-parser';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';
import { parseErrorOf } from '../../test/unit/parse-errors';

const fixtures = path.join(__dirname, '../../test/fixtures/rpm-ostree');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const RECORDING = 'insights-image-mode-rhel94-bootc-status.json';

/** The recordings of `bootc status --json` in the folder. */
const statusRecordings = fs.readdirSync(fixtures).filter(name => {
    if (!name.endsWith('.json'))
        return false;
    const json: unknown = JSON.parse(read(name));
    return typeof json === 'object' && json !== null && 'kind' in json && json.kind === 'BootcHost';
});


type JsonObject = { [key: string]: unknown };
/** An edited copy of the recording (marked as such where used). */
const edit = (change: (host: JsonObject, status: JsonObject, booted: JsonObject) => void) => {
    const host = JSON.parse(read(RECORDING)) as JsonObject;
    const status = host.status as JsonObject;
    change(host, status, status.booted as JsonObject);
    return JSON.stringify(host);
};

test.each(statusRecordings)('every recording parses: %s', name => {
    const status = parseBootcStatus(read(name));
    expect(status.tool).toBe('bootc');
    status.deployments.forEach((d, i) => expect(d.index).toBe(i));
});

test('RHEL 9.4 image mode, v1alpha1 (recorded)', () => {
    expect(statusRecordings).toContain(RECORDING);
    const status = parseBootcStatus(read(RECORDING));
    expect(status).toMatchObject({ transaction: null, cachedUpdate: null, updateDriver: null, rollback: { kind: 'none' } });
    expect(status.deployments).toHaveLength(1);
    expect(status.deployments[0]).toMatchObject({
        index: 0,
        id: 'bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2.0',
        osname: null,
        checksum: 'bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2',
        serial: 0,
        version: '9.20240321.0',
        timestamp: null,
        booted: true,
        staged: false,
        pinned: false,
        incompatible: false,
        softRebootCapable: null,
        imageDigest: 'sha256:fd8cf17fc75a6527c45ecf7434a7b07035e62df4a133eb72aca70ae14a917680',
        origin: {
            kind: 'container-image',
            text: 'ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest',
            verification: { kind: 'unverified' },
            transport: 'registry',
            name: '192.168.122.1:5000/bootc-insights',
            tag: 'latest',
        },
        kernel: null,
        roles: ['default'],
    });
});

test('bootc and rpm-ostree agree on the same host (recorded together)', () => {
    const bootc = parseBootcStatus(read(RECORDING)).deployments[0];
    const rpmOstree = parseRpmOstreeStatus(read('insights-image-mode-rhel94-bootc-unverified-registry.json')).deployments[0];
    for (const key of ['checksum', 'serial', 'version', 'booted', 'staged', 'pinned', 'imageDigest', 'origin'] as const)
        expect(bootc[key]).toEqual(rpmOstree[key]);
});

describe('edited copies of the recording', () => {
    const rollbackEntry = (booted: JsonObject, checksum: string, extra: JsonObject = {}) => ({
        ...booted,
        image: { ...(booted.image as JsonObject), version: '9.20240201.0', timestamp: '2024-02-01T10:00:00Z', imageDigest: `sha256:${'1'.repeat(64)}` },
        ostree: { checksum, deploySerial: 0 },
        ...extra,
    });

    test('staged, booted and rollback are listed in ostree order, staged first', () => {
        const status = parseBootcStatus(edit((_host, status, booted) => {
            status.staged = { ...rollbackEntry(booted, 'a'.repeat(64)), image: { ...(booted.image as JsonObject), version: '9.20240401.0', timestamp: '2024-04-01T00:00:00Z' } };
            status.rollback = rollbackEntry(booted, 'c'.repeat(64), { pinned: true });
        }));
        expect(status.deployments.map(d => [d.index, d.checksum.slice(0, 4), d.staged, d.booted, d.pinned])).toEqual([
            [0, 'aaaa', true, false, false],
            [1, 'bfea', false, true, false],
            [2, 'cccc', false, false, true],
        ]);
        expect(status.deployments[0]).toMatchObject({ version: '9.20240401.0', timestamp: Date.UTC(2024, 3, 1) / 1000, roles: ['default', 'pending'] });
        expect(status.deployments[2]).toMatchObject({ version: '9.20240201.0', timestamp: Date.UTC(2024, 1, 1, 10) / 1000, roles: ['rollback-target'] });
        // bootc rollback drops the staged deployment and makes the rollback one the default
        expect(status.rollback).toEqual({ kind: 'target', index: 2, discardsStaged: true });
    });

    test('org.containers.bootc/v1: stateroot, signature, a queued rollback, other deployments', () => {
        const status = parseBootcStatus(edit((host, status, booted) => {
            host.apiVersion = 'org.containers.bootc/v1';
            host.spec = { ...(host.spec as JsonObject), bootOrder: 'rollback' };
            const ostree = booted.ostree as JsonObject;
            booted.ostree = { ...ostree, stateroot: 'default' };
            booted.softRebootCapable = false;
            booted.downloadOnly = false;
            (booted.image as JsonObject).architecture = 'amd64';
            (booted.image as JsonObject).image = { image: '192.168.122.1:5000/bootc-insights:latest', transport: 'registry', signature: 'containerPolicy' };
            booted.cachedUpdate = { image: { image: '192.168.122.1:5000/bootc-insights:latest', transport: 'registry' }, version: '9.20240501.0', timestamp: null, imageDigest: `sha256:${'2'.repeat(64)}`, architecture: 'amd64' };
            status.rollback = rollbackEntry(booted, 'd'.repeat(64), { ostree: { checksum: 'd'.repeat(64), deploySerial: 1, stateroot: 'default' }, softRebootCapable: true });
            status.otherDeployments = [rollbackEntry(booted, 'e'.repeat(64), { pinned: true, ostree: { checksum: 'e'.repeat(64), deploySerial: 0, stateroot: 'default' } })];
            status.rollbackQueued = true;
        }));
        expect(status.deployments.map(d => [d.checksum.slice(0, 4), d.booted, d.pinned])).toEqual([
            ['dddd', false, false],
            ['bfea', true, false],
            ['eeee', false, true],
        ]);
        expect(status.deployments[0]).toMatchObject({ id: `default-${'d'.repeat(64)}.1`, osname: 'default', serial: 1, softRebootCapable: true, roles: ['default', 'pending'] });
        expect(status.deployments[1]).toMatchObject({
            osname: 'default', softRebootCapable: false, roles: ['rollback-target'],
            origin: { text: 'ostree-image-signed:registry:192.168.122.1:5000/bootc-insights:latest', verification: { kind: 'signed' }, tag: 'latest' },
        });
        // a queued rollback is undone by the next rollback: the booted one is the target
        expect(status.rollback).toEqual({ kind: 'target', index: 1, discardsStaged: false });
        expect(status.cachedUpdate).toEqual({
            version: '9.20240501.0', timestamp: null, checksum: null, imageDigest: `sha256:${'2'.repeat(64)}`, refHasNewCommit: null,
            origin: expect.objectContaining({ kind: 'container-image', text: 'ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest' }),
        });
    });

    test('signatures and transports become ostree-ext references', () => {
        const originWith = (image: JsonObject) => parseBootcStatus(edit((_h, _s, booted) => {
            (booted.image as JsonObject).image = image;
        })).deployments[0].origin;
        expect(originWith({ image: 'quay.io/fedora/fedora-bootc:42', transport: 'registry', signature: { ostreeRemote: 'fedora' } }))
            .toMatchObject({ text: 'ostree-remote-image:fedora:registry:quay.io/fedora/fedora-bootc:42', verification: { kind: 'ostree-remote', remote: 'fedora' } });
        expect(originWith({ image: 'localhost/os:dev', transport: 'containers-storage', signature: 'insecure' }))
            .toMatchObject({ text: 'ostree-unverified-image:containers-storage:localhost/os:dev', transport: 'containers-storage', name: 'localhost/os', tag: 'dev' });
        expect(originWith({ image: 'x', transport: 'ftp' })).toEqual({ kind: 'unknown', text: 'ostree-unverified-image:ftp:x' });
    });

    test('a composefs entry is keyed by its verity digest', () => {
        const status = parseBootcStatus(edit((_h, _s, booted) => {
            booted.ostree = null;
            booted.composefs = { verity: 'f'.repeat(128), bootType: 'bls', bootloader: 'systemd', bootDigest: null };
        }));
        expect(status.deployments[0]).toMatchObject({ checksum: 'f'.repeat(128), serial: 0, osname: null });
    });

    test('a host that is not bootc-compatible has no deployments', () => {
        const status = parseBootcStatus(edit((host, status) => {
            host.apiVersion = 'org.containers.bootc/v1';
            status.booted = null;
            status.type = null;
        }));
        expect(status.deployments).toEqual([]);
        expect(status.rollback).toEqual({ kind: 'none' });
    });

    test.each([
        ['an unknown apiVersion', (h: JsonObject) => { h.apiVersion = 'org.containers.bootc/v2'; }, /speaks org\.containers\.bootc\/v2/],
        ['another kind', (h: JsonObject) => { h.kind = 'Pod'; }, /host\.kind is a string, expected "BootcHost"/],
        ['no apiVersion', (h: JsonObject) => { delete h.apiVersion; }, /host\.apiVersion is missing/],
        ['status as text', (h: JsonObject) => { h.status = 'ok'; }, /host\.status is a string, expected an object/],
        ['an entry without ostree state', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { delete b.ostree; }, /booted\.ostree is missing/],
        ['a checksum that is a number', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { b.ostree = { checksum: 1, deploySerial: 0 }; }, /ostree\.checksum is a number/],
        ['pinned as text', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { b.pinned = 'no'; }, /pinned is a string, expected true or false/],
        ['an image without a transport', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { (b.image as JsonObject).image = { image: 'x' }; }, /image\.image\.transport is missing/],
        ['a timestamp that is not a time', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { (b.image as JsonObject).timestamp = 'yesterday'; }, /timestamp is a string, expected an RFC 3339 time/],
        ['otherDeployments as an object', (_h: JsonObject, s: JsonObject) => { s.otherDeployments = {}; }, /otherDeployments is an object, expected an array/],
        ['a signature of an unknown shape', (_h: JsonObject, _s: JsonObject, b: JsonObject) => { (b.image as JsonObject).image = { image: 'x', transport: 'registry', signature: 7 }; }, /signature is a number, expected an object/],
    ])('%s is a ParseError naming bootc', (_what, change, message) => {
        const error = parseErrorOf(() => parseBootcStatus(edit(change)));
        expect(error.tool).toBe('bootc');
        expect(error.message).toMatch(message);
    });
});

describe('damaged output', () => {
    const whole = read(RECORDING);

    test.each([
        ['after the first brace', whole.slice(0, 1)],
        ['inside spec', whole.slice(0, whole.indexOf('"status"'))],
        ['inside the checksum', whole.slice(0, whole.indexOf('bfea74c7') + 20)],
        ['before the last brace', whole.trimEnd().slice(0, -1)],
    ])('truncated %s is a ParseError naming bootc', (_where, text) => {
        const error = parseErrorOf(() => parseBootcStatus(text));
        expect(error.tool).toBe('bootc');
        expect(error.message).toMatch(/truncated/);
    });

    test.each([
        ['empty output', '', /printed nothing/],
        ['the YAML status', 'apiVersion: org.containers.bootc/v1alpha1\nkind: BootcHost\n', /not valid JSON/],
        ['a permission error', 'error: Status: This command requires root privileges', /not valid JSON/],
        ['rpm-ostree JSON instead', read('insights-rhel95-edge-single.json'), /host\.apiVersion is missing/],
    ])('%s is a ParseError naming bootc', (_what, text, message) => {
        const error = parseErrorOf(() => parseBootcStatus(text));
        expect(error.tool).toBe('bootc');
        expect(error.message).toMatch(message);
    });
});
