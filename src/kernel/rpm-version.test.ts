// rpm's version order on kernel releases and NVIDIA versions as the recordings print them.
import { majorOf, rpmvercmp, upstreamVersion, withoutEpoch } from './rpm-version';

test.each([
    ['5.10.7-200.fc33.x86_64', '5.9.16-200.fc33.x86_64', 1],
    ['6.8.9-300.fc40.x86_64', '6.8.9-300.fc40.x86_64', 0],
    ['6.8.9-300.fc40.x86_64', '6.8.10-300.fc40.x86_64', -1],
    // the vanilla mainline kernel of override-replace-experimental-kernel-vanilla-fcos35
    ['5.17.0-0.rc0.20220118gitfe81ba137ebc.69.vanilla.1.fc35', '5.15.10-200.fc35', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0^20260101', '1.0', 1],
    ['1.0a', '1.0', 1],
    ['1.0', '1.a', 1],
    ['570.124.04', '570.124.4', 0],
])('rpmvercmp(%s, %s) = %d', (a, b, expected) => {
    expect(rpmvercmp(a, b)).toBe(expected);
    expect(rpmvercmp(b, a)).toBe(-expected || 0);
});

test('epoch, release and the driver branch', () => {
    expect(withoutEpoch('3:570.124.04-1.fc33')).toBe('570.124.04-1.fc33');
    expect(upstreamVersion('3:570.124.04-1.fc33')).toBe('570.124.04');
    expect(upstreamVersion('550.78')).toBe('550.78');
    expect(majorOf('3:565.77-1.fc33')).toBe(565);
    expect(majorOf('580.65.06')).toBe(580);
    expect(majorOf('570')).toBe(570);
    expect(majorOf('beta')).toBeNull();
    expect(majorOf(null)).toBeNull();
});
