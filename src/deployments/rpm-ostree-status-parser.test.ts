import fs from 'fs';
import path from 'path';
import { parseRpmOstreeStatus } from './rpm-ostree-status-parser';
import { parseErrorOf } from '../../test/unit/parse-errors';

const fixtures = path.join(__dirname, '../../test/fixtures/rpm-ostree');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const parse = (name: string) => parseRpmOstreeStatus(read(name));

/** The recordings of `rpm-ostree status --json` in the folder (other tools' output lives there too). */
const statusRecordings = fs.readdirSync(fixtures).filter(name => {
    if (!name.endsWith('.json'))
        return false;
    const json: unknown = JSON.parse(read(name));
    return typeof json === 'object' && json !== null && 'deployments' in json;
});


test('the folder holds the recordings these tests name', () => {
    expect(statusRecordings).toEqual(expect.arrayContaining([
        'insights-image-mode-rhel94-bootc-unverified-registry.json',
        'insights-rhel95-edge-single.json',
        'puptoo-bootc-staged-only-trimmed.json',
        'puptoo-silverblue33-layered-override-replace.json',
        'zincati-fcos31-staged-pending.json',
        'zincati-fcos41-ostree-remote-image.json',
    ]));
});

test.each(statusRecordings)('every recording parses: %s', name => {
    const status = parse(name);
    expect(status.tool).toBe('rpm-ostree');
    expect(status.deployments.length).toBeGreaterThan(0);
    status.deployments.forEach((d, i) => {
        expect(d.index).toBe(i);
        expect(d.checksum).toMatch(/^[0-9a-f]{64}$/);
        expect(d.id).toBe(`${d.osname}-${d.checksum}.${d.serial}`);
        expect(d.origin?.kind).not.toBe('unknown');
    });
    expect(status.deployments.filter(d => d.booted).length).toBeLessThanOrEqual(1);
});

test('Fedora Silverblue 33: layered packages and overrides (recorded)', () => {
    const status = parse('puptoo-silverblue33-layered-override-replace.json');
    expect(status).toMatchObject({ transaction: null, cachedUpdate: null, updateDriver: null });
    const [booted, rollback] = status.deployments;
    expect(booted).toMatchObject({
        index: 0,
        id: 'fedora-silverblue-63335a77f9853618ba1a5f139c5805e82176a2a040ef5e34d7402e12263af5bb.0',
        osname: 'fedora-silverblue',
        version: '33.21',
        timestamp: 1612555369,
        booted: true,
        staged: false,
        pinned: false,
        origin: { kind: 'ostree-ref', text: 'fedora/33/x86_64/silverblue', remote: null, ref: 'fedora/33/x86_64/silverblue' },
        unlocked: { state: 'none', raw: 'none' },
        base: { checksum: '229387d3c0bb8ad698228ca5702eca72aed8b298a7c800be1dc72bab160a9f7f', version: '33.21', timestamp: 1612554510 },
        pendingBase: null,
        gpgEnabled: false,
        kernel: null,
        roles: ['default'],
    });
    expect(booted.layering.requested).toHaveLength(16);
    expect(booted.layering.requested).toEqual(expect.arrayContaining(['gdb', 'qemu-kvm', 'virt-manager', 'libvirt', 'tmux']));
    expect(booted.layering.packages).toEqual([...booted.layering.requested].sort());
    expect(booted.layering.requestedLocal).toEqual([]);
    expect(booted.removals).toEqual({ requested: [], removed: [] });
    expect(booted.overrides.requestedLocal).toEqual(['rpm-ostree-2021.1-2.fc33.x86_64', 'rpm-ostree-libs-2021.1-2.fc33.x86_64']);
    expect(booted.overrides.local).toEqual([
        {
            replacement: { nevra: 'rpm-ostree-2021.1-2.fc33.x86_64', name: 'rpm-ostree', epoch: 0, version: '2021.1', release: '2.fc33', arch: 'x86_64' },
            replaced: { nevra: 'rpm-ostree-2021.1-3.fc33.x86_64', name: 'rpm-ostree', epoch: 0, version: '2021.1', release: '3.fc33', arch: 'x86_64' },
        },
        {
            replacement: expect.objectContaining({ nevra: 'rpm-ostree-libs-2021.1-2.fc33.x86_64' }),
            replaced: expect.objectContaining({ nevra: 'rpm-ostree-libs-2021.1-3.fc33.x86_64' }),
        },
    ]);
    expect(booted.initramfs).toEqual({ regenerate: false, args: [], etc: [] });
    // the rollback deployment carries the same override onto an older base (2020.10)
    expect(rollback).toMatchObject({
        index: 1, version: '33.17', booted: false,
        pendingBase: { checksum: '229387d3c0bb8ad698228ca5702eca72aed8b298a7c800be1dc72bab160a9f7f', version: '33.21', timestamp: 1612554510 },
        roles: ['rollback-target'],
    });
    expect(rollback.overrides.local[0].replaced.version).toBe('2020.10');
    expect(status.rollback).toEqual({ kind: 'target', index: 1, discardsStaged: false });
});

test('Fedora CoreOS 31: a staged update over the booted deployment (recorded)', () => {
    const status = parse('zincati-fcos31-staged-pending.json');
    const [staged, booted] = status.deployments;
    expect(staged).toMatchObject({
        checksum: '967b7b8d624e6d10ff51c2e81ef198fae966c567ac2e9b479771c693d0987949',
        version: '31.20200517.3.0', staged: true, booted: false, finalizationLocked: true, gpgEnabled: true,
        origin: { kind: 'ostree-ref', remote: 'fedora', ref: 'fedora/x86_64/coreos/stable' },
        roles: ['default', 'pending'],
    });
    expect(booted).toMatchObject({
        checksum: '01f074cc6cd88d8d2b43f821da692f2367c101eb4377802cb35092bde0ef02f7',
        version: '31.20200505.3.0', booted: true, staged: false, finalizationLocked: false,
        pendingBase: { checksum: staged.checksum, version: '31.20200517.3.0', timestamp: 1591031729 },
        base: null,
        roles: [],
    });
    // the image's own dracut arguments are commit metadata, not client initramfs-args
    expect(booted.initramfs.args).toEqual([]);
    expect(status.rollback).toEqual({ kind: 'blocked-by-staged', stagedIndex: 0 });
});

test('Fedora CoreOS 41: ostree-remote-image origin and the kernel label (recorded)', () => {
    const [d] = parse('zincati-fcos41-ostree-remote-image.json').deployments;
    expect(d).toMatchObject({
        version: '41.20250105.2.0',
        timestamp: 1736192785,
        booted: true,
        imageDigest: 'sha256:c4a15145a232d882ccf2ed32d22c06c01a7cf62317eb966a98340ae4bd56dfa6',
        origin: {
            kind: 'container-image',
            text: 'ostree-remote-image:fedora:registry:quay.io/fedora/fedora-coreos:testing',
            verification: { kind: 'ostree-remote', remote: 'fedora' },
            name: 'quay.io/fedora/fedora-coreos',
            tag: 'testing',
        },
        kernel: { version: '6.12.7-200.fc41.x86_64', source: 'image-label' },
        roles: ['default'],
    });
});

test('RHEL 9.4 image mode seen by rpm-ostree (recorded)', () => {
    const status = parse('insights-image-mode-rhel94-bootc-unverified-registry.json');
    expect(status.updateDriver).toBeNull();
    expect(status.deployments[0]).toMatchObject({
        osname: 'default',
        version: '9.20240321.0',
        checksum: 'bfea74c73baebf5f50e3ba79305170ffab728257e2f8b799f4bb8a1b8339ded2',
        origin: { kind: 'container-image', prefix: 'ostree-unverified-registry:', name: '192.168.122.1:5000/bootc-insights', tag: 'latest' },
        imageDigest: 'sha256:fd8cf17fc75a6527c45ecf7434a7b07035e62df4a133eb72aca70ae14a917680',
        kernel: { version: '5.14.0-427.4.1.el9_4.x86_64', source: 'image-label' },
    });
    expect(status.rollback).toEqual({ kind: 'none' });
});

test('RHEL for Edge 9.5: ostree.linux in the commit metadata (recorded)', () => {
    const [d] = parse('insights-rhel95-edge-single.json').deployments;
    expect(d).toMatchObject({
        osname: 'rhel-edge',
        version: '9.5',
        timestamp: 1742466465,
        origin: { kind: 'ostree-ref', remote: 'rhel-edge', ref: 'rhel/9/x86_64/edge' },
        kernel: { version: '5.14.0-503.33.1.el9_5.x86_64', source: 'base-commit' },
        imageDigest: null,
    });
});

test('a trimmed status with only the staged deployment (recorded)', () => {
    const status = parse('puptoo-bootc-staged-only-trimmed.json');
    expect(status.deployments).toHaveLength(1);
    expect(status.deployments[0]).toMatchObject({
        staged: true, booted: false, unlocked: null, version: '9.20240207.0', roles: ['default', 'pending'],
        imageDigest: 'sha256:758216cb799c79a25bdcb21046b3283dd267fe4f29392bd125a20981e092006b',
    });
    expect(status.rollback).toEqual({ kind: 'none' });
});

describe('edited copies of recordings', () => {
    const edit = (name: string, change: (json: { [key: string]: unknown }) => void) => {
        const json = JSON.parse(read(name)) as { [key: string]: unknown };
        change(json);
        return JSON.stringify(json);
    };
    const first = (json: { [key: string]: unknown }) => (json.deployments as { [key: string]: unknown }[])[0];

    test('an unknown origin form survives as text', () => {
        const status = parseRpmOstreeStatus(edit('insights-rhel95-edge-single.json', json => {
            first(json).origin = 'rojig://fedora-coreos';
        }));
        expect(status.deployments[0].origin).toEqual({ kind: 'unknown', text: 'rojig://fedora-coreos' });
    });

    test('a running transaction, a cached update and an update driver', () => {
        const status = parseRpmOstreeStatus(edit('insights-rhel95-edge-single.json', json => {
            json.transaction = ['upgrade', ':1.110', '/org/projectatomic/rpmostree1/rhel_edge'];
            json['cached-update'] = { osname: 'rhel-edge', checksum: 'ab'.repeat(32), version: '9.6', timestamp: 1750000000, origin: 'rhel-edge:rhel/9/x86_64/edge', 'ref-has-new-commit': true, 'gpg-enabled': false };
            json['update-driver'] = { 'driver-name': 'Zincati', 'driver-sd-unit': 'zincati.service' };
        }));
        expect(status.transaction).toEqual({ title: 'upgrade', owner: ':1.110', path: '/org/projectatomic/rpmostree1/rhel_edge' });
        expect(status.cachedUpdate).toEqual({
            version: '9.6', timestamp: 1750000000, checksum: 'ab'.repeat(32), imageDigest: null, refHasNewCommit: true,
            origin: { kind: 'ostree-ref', text: 'rhel-edge:rhel/9/x86_64/edge', remote: 'rhel-edge', ref: 'rhel/9/x86_64/edge' },
        });
        expect(status.updateDriver).toEqual({ name: 'Zincati', unit: 'zincati.service' });
    });

    test('optional fields that are missing become null or empty', () => {
        const status = parseRpmOstreeStatus(edit('insights-rhel95-edge-single.json', json => {
            for (const key of ['unlocked', 'version', 'timestamp', 'requested-packages', 'packages', 'base-removals', 'base-local-replacements', 'base-commit-meta', 'gpg-enabled', 'origin', 'pinned', 'staged'])
                delete first(json)[key];
            delete json.transaction;
        }));
        expect(status.deployments[0]).toMatchObject({
            unlocked: null, version: null, timestamp: null, origin: null, kernel: null, gpgEnabled: null, pinned: false, staged: false,
            layering: { requested: [], packages: [] }, removals: { removed: [] }, overrides: { local: [] },
        });
        expect(status.transaction).toBeNull();
    });

    test('unlocked states, a pin, an apply-live commit and removals in string form', () => {
        const status = parseRpmOstreeStatus(edit('insights-rhel95-edge-single.json', json => {
            Object.assign(first(json), {
                unlocked: 'hotfix', pinned: true, 'live-replaced': 'cd'.repeat(32),
                'base-removals': ['nano-7.2-3.el9.x86_64'], 'requested-base-removals': ['nano'],
                'base-remote-replacements': { 'repo=copr:copr.fedorainfracloud.org:group_CoreOS:continuous': ['rpm-ostree-2024.5-1.el9.x86_64'] },
            });
        }));
        expect(status.deployments[0]).toMatchObject({
            unlocked: { state: 'hotfix', raw: 'hotfix' }, pinned: true, live: { replaced: 'cd'.repeat(32), inProgress: null },
            removals: { requested: ['nano'], removed: [{ nevra: 'nano-7.2-3.el9.x86_64', name: 'nano', version: '7.2', release: '3.el9', arch: 'x86_64' }] },
            overrides: { remote: { 'repo=copr:copr.fedorainfracloud.org:group_CoreOS:continuous': ['rpm-ostree-2024.5-1.el9.x86_64'] } },
        });
        const other = parseRpmOstreeStatus(edit('insights-rhel95-edge-single.json', json => {
            first(json).unlocked = 'read-write-someday';
        }));
        expect(other.deployments[0].unlocked).toEqual({ state: 'other', raw: 'read-write-someday' });
    });

    test.each([
        ['deployments is not an array', (j: { [key: string]: unknown }) => { j.deployments = {}; }, /status\.deployments is an object, expected an array/],
        ['deployments is missing', (j: { [key: string]: unknown }) => { delete j.deployments; }, /status\.deployments is missing/],
        ['a deployment is not an object', (j: { [key: string]: unknown }) => { j.deployments = ['x']; }, /deployments\[0\] is a string, expected an object/],
        ['no checksum', (j: { [key: string]: unknown }) => { delete first(j).checksum; }, /deployments\[0\]\.checksum is missing/],
        ['no id', (j: { [key: string]: unknown }) => { delete first(j).id; }, /deployments\[0\]\.id is missing/],
        ['no osname', (j: { [key: string]: unknown }) => { first(j).osname = null; }, /deployments\[0\]\.osname is null/],
        ['serial as text', (j: { [key: string]: unknown }) => { first(j).serial = '0'; }, /serial is a string, expected an integer/],
        ['booted as text', (j: { [key: string]: unknown }) => { first(j).booted = 'yes'; }, /booted is a string, expected true or false/],
        ['packages as text', (j: { [key: string]: unknown }) => { first(j)['requested-packages'] = 'vim'; }, /requested-packages is a string, expected an array/],
        ['a package that is a number', (j: { [key: string]: unknown }) => { first(j).packages = [1]; }, /packages\[0\] is a number, expected a string/],
        ['a replacement that is not a pair', (j: { [key: string]: unknown }) => { first(j)['base-local-replacements'] = [['a']]; }, /base-local-replacements\[0\] is an array, expected a \[replacement, replaced\] pair/],
        ['transaction as text', (j: { [key: string]: unknown }) => { j.transaction = 'upgrade'; }, /transaction is a string, expected null or \[title, owner, path\]/],
        ['two booted deployments', (j: { [key: string]: unknown }) => { j.deployments = [first(j), first(j)]; }, /more than one booted/],
        ['update driver without a unit', (j: { [key: string]: unknown }) => { j['update-driver'] = { 'driver-name': 'Zincati' }; }, /driver-sd-unit is missing/],
    ])('wrong types are a ParseError naming rpm-ostree: %s', (_what, change, message) => {
        const error = parseErrorOf(() => parseRpmOstreeStatus(edit('puptoo-silverblue33-layered-override-replace.json', change)));
        expect(error.tool).toBe('rpm-ostree');
        expect(error.message).toMatch(message);
    });
});

describe('damaged output', () => {
    const whole = read('zincati-fcos41-ostree-remote-image.json');

    test.each([
        ['after the first brace', whole.slice(0, 1)],
        ['inside the deployment', whole.slice(0, whole.indexOf('"osname"'))],
        ['in the middle of a string', whole.slice(0, whole.indexOf('fedora-coreos:testing') + 8)],
        ['before the last brace', whole.trimEnd().slice(0, -1)],
        ['at three quarters', whole.slice(0, Math.floor(whole.length * 0.75))],
    ])('truncated %s is a ParseError naming rpm-ostree', (_where, text) => {
        const error = parseErrorOf(() => parseRpmOstreeStatus(text));
        expect(error.tool).toBe('rpm-ostree');
        expect(error.message).toMatch(/truncated/);
        expect(error.snippet.length).toBeGreaterThan(0);
    });

    test.each([
        ['empty output', '', /printed nothing/],
        ['only whitespace', '\n  \n', /printed nothing/],
        ['an error message instead of JSON', 'error: Couldn\'t start daemon: Error setting up sysroot: loading sysroot: Unexpected state: /run/ostree-booted found, but no /boot/loader directory', /not valid JSON/],
        ['the text status instead of JSON', read('insights-rhel95-edge-single.json').replace(/^\{/, 'State: idle\n{'), /not valid JSON/],
        ['JSON null', 'null', /status is null, expected an object/],
        ['a JSON array', '[]', /status is an array, expected an object/],
        ['garbage after the document', `${whole}\n}`, /not valid JSON/],
    ])('%s is a ParseError naming rpm-ostree', (_what, text, message) => {
        const error = parseErrorOf(() => parseRpmOstreeStatus(text));
        expect(error.tool).toBe('rpm-ostree');
        expect(error.message).toMatch(message);
    });

    test('the snippet shows where the JSON broke', () => {
        const text = whole.replace('"booted" : true', '"booted" : tru e');
        const error = parseErrorOf(() => parseRpmOstreeStatus(text));
        expect(error.snippet).toContain('tru e');
    });
});
