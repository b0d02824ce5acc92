import { ParseError } from '../../pkg/lib/parse-error';
import { nevraFromString, nevraOf } from './nevra';

test('the tuple form of the Silverblue 33 recording', () => {
    expect(nevraOf('rpm-ostree', 'x', ['rpm-ostree-libs-2021.1-3.fc33.x86_64', 'rpm-ostree-libs', 0, '2021.1', '3.fc33', 'x86_64'])).toEqual({
        nevra: 'rpm-ostree-libs-2021.1-3.fc33.x86_64', name: 'rpm-ostree-libs', epoch: 0, version: '2021.1', release: '3.fc33', arch: 'x86_64',
    });
});

test('NEVRA strings, with an epoch and without a recognisable form', () => {
    expect(nevraFromString('kernel-core-6.12.7-200.fc41.x86_64')).toEqual({
        nevra: 'kernel-core-6.12.7-200.fc41.x86_64', name: 'kernel-core', epoch: 0, version: '6.12.7', release: '200.fc41', arch: 'x86_64',
    });
    expect(nevraFromString('shim-x64-2:15.8-3.x86_64')).toMatchObject({ name: 'shim-x64', epoch: 2, version: '15.8', release: '3' });
    expect(nevraFromString('nvidia')).toEqual({ nevra: 'nvidia', name: 'nvidia', epoch: 0, version: '', release: '', arch: '' });
});

test('anything else is a ParseError', () => {
    expect(() => nevraOf('rpm-ostree', 'p', ['a', 'b'])).toThrow(ParseError);
    expect(() => nevraOf('rpm-ostree', 'p', ['a', 'b', '0', 'v', 'r', 'x'])).toThrow(/p is an array, expected a package/);
    expect(() => nevraOf('rpm-ostree', 'p', 3)).toThrow(ParseError);
});
