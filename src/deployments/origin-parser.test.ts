import { parseOrigin, validateRebaseTarget } from './origin-parser';

describe('parseOrigin', () => {
    test('ostree refs, with and without a remote (from the recordings)', () => {
        expect(parseOrigin('fedora:fedora/x86_64/coreos/stable')).toEqual({
            kind: 'ostree-ref', text: 'fedora:fedora/x86_64/coreos/stable', remote: 'fedora', ref: 'fedora/x86_64/coreos/stable',
        });
        expect(parseOrigin('rhel-edge:rhel/9/x86_64/edge')).toMatchObject({ kind: 'ostree-ref', remote: 'rhel-edge', ref: 'rhel/9/x86_64/edge' });
        expect(parseOrigin('fedora/33/x86_64/silverblue')).toMatchObject({ kind: 'ostree-ref', remote: null, ref: 'fedora/33/x86_64/silverblue' });
        expect(parseOrigin(':localref')).toMatchObject({ kind: 'ostree-ref', remote: null, ref: 'localref' });
    });

    test('ostree-unverified-registry: a registry port is not a tag', () => {
        expect(parseOrigin('ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest')).toEqual({
            kind: 'container-image',
            text: 'ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest',
            prefix: 'ostree-unverified-registry:',
            verification: { kind: 'unverified' },
            transport: 'registry',
            image: '192.168.122.1:5000/bootc-insights:latest',
            name: '192.168.122.1:5000/bootc-insights',
            tag: 'latest',
            digest: null,
        });
        expect(parseOrigin('ostree-unverified-registry:localhost:5000/os')).toMatchObject({ name: 'localhost:5000/os', tag: null });
    });

    test('ostree-remote-image: remote, transport and tag (FCOS 41 recording)', () => {
        expect(parseOrigin('ostree-remote-image:fedora:registry:quay.io/fedora/fedora-coreos:testing')).toMatchObject({
            kind: 'container-image',
            prefix: 'ostree-remote-image:fedora:registry:',
            verification: { kind: 'ostree-remote', remote: 'fedora' },
            transport: 'registry',
            image: 'quay.io/fedora/fedora-coreos:testing',
            name: 'quay.io/fedora/fedora-coreos',
            tag: 'testing',
        });
    });

    test('the other prefixes and transports of ostree-ext', () => {
        expect(parseOrigin('ostree-image-signed:docker://quay.io/fedora/fedora-silverblue:41')).toMatchObject({
            prefix: 'ostree-image-signed:docker://', verification: { kind: 'signed' }, transport: 'registry', name: 'quay.io/fedora/fedora-silverblue', tag: '41',
        });
        expect(parseOrigin('ostree-unverified-image:docker://ghcr.io/ublue-os/bluefin:stable')).toMatchObject({
            prefix: 'ostree-unverified-image:docker://', verification: { kind: 'unverified' }, name: 'ghcr.io/ublue-os/bluefin', tag: 'stable',
        });
        expect(parseOrigin('ostree-remote-registry:fedora:quay.io/fedora/fedora-coreos:stable')).toMatchObject({
            prefix: 'ostree-remote-registry:fedora:', verification: { kind: 'ostree-remote', remote: 'fedora' }, transport: 'registry', tag: 'stable',
        });
        expect(parseOrigin('ostree-unverified-image:oci-archive:/var/tmp/os.ociarchive')).toMatchObject({
            transport: 'oci-archive', name: '/var/tmp/os.ociarchive', tag: null,
        });
        expect(parseOrigin('ostree-unverified-image:oci:/srv/layout:v2')).toMatchObject({ transport: 'oci', name: '/srv/layout', tag: 'v2' });
        expect(parseOrigin('ostree-unverified-image:containers-storage:localhost/os:dev')).toMatchObject({ transport: 'containers-storage', name: 'localhost/os', tag: 'dev' });
        expect(parseOrigin('ostree-unverified-image:dir:/srv/os:x')).toMatchObject({ transport: 'dir', name: '/srv/os:x', tag: null });
    });

    test('a digest pin is split off, with or without a tag', () => {
        const digest = 'sha256:90780b08939d913d9cfc5565eecdd12055dd57301b2109985e149830a92ed6b1';
        expect(parseOrigin(`ostree-unverified-registry:quay.io/openshift-release-dev/ocp-v4.0-art-dev@${digest}`)).toMatchObject({
            name: 'quay.io/openshift-release-dev/ocp-v4.0-art-dev', tag: null, digest,
        });
        expect(parseOrigin(`ostree-unverified-registry:quay.io/x/y:41@${digest}`)).toMatchObject({ name: 'quay.io/x/y', tag: '41', digest });
    });

    test('unknown forms survive as text, never as a misread ref', () => {
        for (const text of [
            'rojig://fedora-coreos',
            'pivot://registry.svc.ci.openshift.org/rhcos/maipo@sha256:0027',
            'ostree-image-signed:quay.io/no/transport',
            'ostree-unverified-registry:',
            'ostree-remote-image:bad remote:registry:quay.io/x',
            'ostree-future-prefix:quay.io/x:1',
            '',
        ])
            expect(parseOrigin(text)).toEqual({ kind: 'unknown', text });
    });
});

describe('validateRebaseTarget', () => {
    test('accepts both rpm-ostree forms', () => {
        expect(validateRebaseTarget('fedora:fedora/41/x86_64/silverblue')).toEqual({
            ok: true, origin: { kind: 'ostree-ref', text: 'fedora:fedora/41/x86_64/silverblue', remote: 'fedora', ref: 'fedora/41/x86_64/silverblue' },
        });
        const image = validateRebaseTarget('ostree-image-signed:docker://ghcr.io/ublue-os/bluefin-nvidia:stable-41.20241104');
        expect(image).toMatchObject({ ok: true, origin: { kind: 'container-image', tag: 'stable-41.20241104' } });
        expect(validateRebaseTarget('ostree-unverified-registry:192.168.122.1:5000/bootc-insights:latest').ok).toBe(true);
    });

    test('bootc takes a plain registry image', () => {
        expect(validateRebaseTarget('quay.io/fedora/fedora-bootc:42', 'bootc')).toMatchObject({
            ok: true, origin: { kind: 'container-image', prefix: '', text: 'quay.io/fedora/fedora-bootc:42', name: 'quay.io/fedora/fedora-bootc', tag: '42' },
        });
        expect(validateRebaseTarget('ostree-unverified-registry:quay.io/fedora/fedora-bootc:42', 'bootc')).toMatchObject({ ok: false, reason: expect.stringMatching(/without the ostree-/) });
        expect(validateRebaseTarget('fedora:fedora/41/x86_64/silverblue', 'bootc').ok).toBe(false);
    });

    test.each([
        ['', /empty/],
        ['   ', /empty/],
        ['fedora:fedora/41/x86_64/silverblue --reboot', /spaces/],
        ['fedora:fedora/41\tx', /control/],
        ['fedora:x\n', /control/],
        ['\u0007bell', /control/],
        ['--reboot', /starts with "-"/],
        ['-fedora:x', /starts with "-"/],
        ['fedora:x;reboot', /shell character ";"/],
        ['fedora:$(reboot)', /shell character "\$"/],
        ['fedora:`id`', /shell character "`"/],
        ['quay.io/x|sh', /shell character "\|"/],
        ['fedora:x&&y', /shell character "&"/],
        ['fedora:x>y', /shell character ">"/],
        ['fedora:fedora/*', /shell character "\*"/],
        ["fedora:'x'", /shell character "'"/],
        ['fedorä:x', /printable ASCII/],
        ['quay.io/fedora/fedora-bootc:42', /neither an ostree ref/],
        ['https://example.com/os.tar', /neither an ostree ref/],
        ['ostree-image-signed:quay.io/no/transport', /unknown container image form/],
        ['ostree-unverified-registry:Quay.io/UPPER/Case:1', /not a valid registry image/],
        ['ostree-unverified-registry:quay.io/x:bad:tag', /not a valid registry image/],
        ['ostree-unverified-registry:quay.io/x@sha256:short', /not a valid registry image/],
    ])('refuses %j', (text, reason) => {
        const check = validateRebaseTarget(text);
        expect(check.ok).toBe(false);
        if (!check.ok)
            expect(check.reason).toMatch(reason);
    });

    test('bootc refuses what is not an image', () => {
        expect(validateRebaseTarget('quay.io/x y', 'bootc')).toMatchObject({ ok: false, reason: expect.stringMatching(/spaces/) });
        expect(validateRebaseTarget('-quay.io/x', 'bootc')).toMatchObject({ ok: false });
        expect(validateRebaseTarget('quay.io//x', 'bootc')).toMatchObject({ ok: false, reason: expect.stringMatching(/not a valid registry image/) });
        expect(validateRebaseTarget('quay.io/x:', 'bootc')).toMatchObject({ ok: false });
    });
});
