import { parseOrigin } from '../deployments/origin-parser';
import type { ContainerImageOrigin } from '../deployments/deployment';
import { readFixture } from '../../test/unit/fixtures';
import { parseListTags } from './skopeo-parser';
import { datedTags, imageRepository, inspectArgv, listTagsArgv, retaggedOrigin, validateTag } from './skopeo-tags';

function image(text: string): ContainerImageOrigin {
    const origin = parseOrigin(text);
    if (origin.kind !== 'container-image')
        throw new Error(`${text} is not an image origin`);
    return origin;
}

describe('datedTags', () => {
    test('the recorded Fedora tags carry no date', () => {
        expect(datedTags(parseListTags(readFixture('skopeo/list-tags-docker-fedora-skopeodocs.json')).tags)).toEqual([]);
    });

    test('the tag shapes Universal Blue pushes, newest first', () => {
        // shapes from ublue-os/main build.yml (38, 38-20230601) and Bluefin's generate-build-tags
        const tags = [
            'stable', 'latest', '41', 'gts',
            'stable-20241027', 'stable-41.20241027', 'stable-daily-20241101', 'stable-daily-41.20241101',
            '41-20241101', '41-41.20241101', 'latest-41.20241102', 'stable-daily-41.20250126.3',
            '38-20230601', '41.20241101',
        ];
        const dated = datedTags(tags);
        expect(dated.map(t => t.tag)).toEqual([
            'stable-daily-41.20250126.3',
            'latest-41.20241102',
            '41-20241101', '41-41.20241101', '41.20241101', 'stable-daily-20241101', 'stable-daily-41.20241101',
            'stable-20241027', 'stable-41.20241027',
            '38-20230601',
        ]);
        expect(dated[0]).toEqual({ tag: 'stable-daily-41.20250126.3', date: '2025-01-26', stream: 'stable-daily', fedora: 41, build: 3 });
        expect(dated.find(t => t.tag === '41-41.20241101')).toEqual({ tag: '41-41.20241101', date: '2024-11-01', stream: '41', fedora: 41, build: null });
        expect(dated.find(t => t.tag === '41.20241101')).toMatchObject({ stream: null, fedora: 41 });
        expect(dated.find(t => t.tag === 'stable-20241027')).toMatchObject({ stream: 'stable', fedora: null });
    });

    test('YYYY-MM-DD too', () => {
        expect(datedTags(['nightly-2024-11-01', 'nightly-2024-10-31'])).toEqual([
            { tag: 'nightly-2024-11-01', date: '2024-11-01', stream: 'nightly', fedora: null, build: null },
            { tag: 'nightly-2024-10-31', date: '2024-10-31', stream: 'nightly', fedora: null, build: null },
        ]);
    });

    test('what only looks like a date is not one', () => {
        expect(datedTags([
            'stable-20241301', // month 13
            'stable-20240230', // 30 February
            'stable-2024-1101', // mixed separators
            'build-120241101', // part of a longer number
            'v19991231', // no leading separator, and not this century
            'sha256-1a2b20241101c0ffee.sig', // cosign signature tag
            '20241101abc', // glued to letters
        ])).toEqual([]);
    });
});

describe('validateTag (OCI distribution spec grammar)', () => {
    test.each(['stable', 'stable-20241101', '41.20241101', '_x', 'A'.repeat(128)])('%s', tag => {
        expect(validateTag(tag)).toEqual({ ok: true });
    });

    test.each([
        ['', 'empty'],
        ['A'.repeat(129), 'longer than 128'],
        ['-stable', 'starts with'],
        ['.stable', 'starts with'],
        ['stable:1', 'letters, digits'],
        ['stable/1', 'letters, digits'],
        ['stable 1', 'letters, digits'],
        ['stable;reboot', 'letters, digits'],
        ['stäble', 'letters, digits'],
    ])('%j is refused', (tag, expected) => {
        const check = validateTag(tag);
        expect(!check.ok && check.reason).toContain(expected);
    });
});

describe('from an image origin to skopeo and back', () => {
    const bluefin = image('ostree-image-signed:docker://ghcr.io/ublue-os/bluefin:stable');

    test('imageRepository', () => {
        expect(imageRepository(bluefin)).toBe('docker://ghcr.io/ublue-os/bluefin');
        expect(imageRepository(image('ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest'))).toBe('docker://192.168.122.1:5000/bootc-insights');
        expect(imageRepository(image('ostree-remote-image:fedora:registry:quay.io/fedora/fedora-coreos:testing'))).toBe('docker://quay.io/fedora/fedora-coreos');
        expect(imageRepository(image('ostree-unverified-image:oci:/srv/layout:v2'))).toBeNull();
        expect(imageRepository({ ...bluefin, name: 'ghcr.io/ublue-os/blue fin' })).toBeNull();
        expect(imageRepository({ ...bluefin, name: '-ghcr.io/x' })).toBeNull();
    });

    test('argv', () => {
        expect(listTagsArgv('docker://ghcr.io/ublue-os/bluefin')).toEqual(['skopeo', 'list-tags', 'docker://ghcr.io/ublue-os/bluefin']);
        expect(inspectArgv('docker://ghcr.io/ublue-os/bluefin', 'stable-20241027')).toEqual(['skopeo', 'inspect', 'docker://ghcr.io/ublue-os/bluefin:stable-20241027']);
        expect(inspectArgv('docker://ghcr.io/ublue-os/bluefin', 'x;reboot')).toBeNull();
    });

    test('retaggedOrigin keeps the verification prefix', () => {
        expect(retaggedOrigin(bluefin, 'stable-20241027')).toBe('ostree-image-signed:docker://ghcr.io/ublue-os/bluefin:stable-20241027');
        expect(retaggedOrigin(image('ostree-unverified-registry:quay.io/x/y@sha256:90780b08939d913d9cfc5565eecdd12055dd57301b2109985e149830a92ed6b1'), '41'))
            .toBe('ostree-unverified-registry:quay.io/x/y:41');
        expect(retaggedOrigin(bluefin, '../x')).toBeNull();
    });
});
