import { ParseError } from '../../pkg/lib/parse-error';
import { readFixture } from '../../test/unit/fixtures';
import { parseInspect, parseListTags, parseRfc3339 } from './skopeo-parser';

const LIST_TAGS = readFixture('skopeo/list-tags-docker-fedora-skopeodocs.json');
const INSPECT = readFixture('skopeo/inspect-docker-fedora37-repotags-trimmed-skopeodocs.json');

/** The recorded inspect document with other labels: the same format, as a bootable image carries it. */
function withLabels(labels: Record<string, string> | null): string {
    const doc = JSON.parse(INSPECT) as Record<string, unknown>;
    doc.Labels = labels;
    return JSON.stringify(doc, null, 4);
}

describe('skopeo list-tags', () => {
    test('the recording (docker.io/library/fedora)', () => {
        const list = parseListTags(LIST_TAGS);
        expect(list.repository).toBe('docker.io/library/fedora');
        expect(list.tags).toHaveLength(19);
        expect(list.tags.slice(0, 3)).toEqual(['20', '21', '22']);
        expect(list.tags).toContain('rawhide');
    });

    test.each([
        ['nothing', ''],
        // no skopeo failure is recorded yet; any text that is not the JSON document will do
        ['not JSON', 'this is not a tag list'],
        ['truncated', LIST_TAGS.slice(0, 80)],
        ['no Repository', '{"Tags": []}'],
        ['Tags not strings', '{"Repository": "r", "Tags": [1]}'],
        ['an array', '[]'],
    ])('%s is a ParseError', (_name, text) => {
        expect(() => parseListTags(text)).toThrow(ParseError);
    });
});

describe('skopeo inspect', () => {
    test('the recording (Fedora 37, not a bootable image: no ostree.linux)', () => {
        expect(parseInspect(INSPECT)).toEqual({
            name: 'docker.io/library/fedora',
            digest: 'sha256:f99efcddc4dd6736d8a88cc1ab6722098ec1d77dbf7aed9a7a514fc997ca08e0',
            created: Date.UTC(2022, 10, 16, 7, 26, 42) / 1000,
            labels: { maintainer: 'Clement Verna <cverna@fedoraproject.org>' },
            kernel: null,
            version: null,
        });
    });

    test('kernel from ostree.linux, version from org.opencontainers.image.version, else version', () => {
        const bootable = parseInspect(withLabels({
            'ostree.linux': '6.11.5-300.fc41.x86_64',
            'org.opencontainers.image.version': '41.20241101',
            version: 'other',
        }));
        expect(bootable.kernel).toBe('6.11.5-300.fc41.x86_64');
        expect(bootable.version).toBe('41.20241101');
        expect(parseInspect(withLabels({ version: '40.20240501.0' })).version).toBe('40.20240501.0');
    });

    test('"Labels": null and no Created', () => {
        const doc = JSON.parse(withLabels(null)) as Record<string, unknown>;
        delete doc.Created;
        expect(parseInspect(JSON.stringify(doc))).toMatchObject({ labels: {}, kernel: null, created: null });
    });

    test.each([
        ['not JSON', 'this is not an image description'],
        ['no Digest', withLabels({}).replace('"Digest"', '"Digestx"')],
        ['a Created that is no time', withLabels({}).replace('2022-11-16T07:26:42.618327645Z', 'yesterday')],
        ['Labels not an object', withLabels({}).replace('"Labels": {}', '"Labels": []')],
        ['a label that is no string', withLabels({}).replace('"Labels": {}', '"Labels": {"ostree.linux": 6}')],
    ])('%s is a ParseError', (_name, text) => {
        expect(() => parseInspect(text)).toThrow(ParseError);
    });
});

test('RFC 3339 times: nanoseconds, offsets, and what is not one', () => {
    expect(parseRfc3339('2022-11-16T07:26:42.618327645Z')).toBe(1668583602);
    expect(parseRfc3339('2022-11-16T09:26:42+02:00')).toBe(1668583602);
    expect(parseRfc3339('2022-11-16T07:26:42Z')).toBe(1668583602);
    expect(parseRfc3339('2022-13-16T07:26:42Z')).toBeNull();
    expect(parseRfc3339('2022-11-16 07:26:42')).toBeNull();
});
