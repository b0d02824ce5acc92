import { validateRevision } from './revision';

test('versions and full checksums pass; anything an argv could misread does not', () => {
    expect(validateRevision('41.20241101.0')).toEqual({ ok: true, kind: 'version' });
    expect(validateRevision('229387d3c0bb8ad698228ca5702eca72aed8b298a7c800be1dc72bab160a9f7f')).toEqual({ ok: true, kind: 'checksum' });
    for (const bad of ['', '-r', '--reboot', '41 20241101', '41;reboot', '$(id)', 'a'.repeat(200), '229387d3c0bb8ad698228ca5702eca72aed8b298a7c800be1dc72bab160a9f7'])
        expect(validateRevision(bad).ok).toBe(false);
});
