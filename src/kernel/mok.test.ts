import { ParseError } from '../../pkg/lib/parse-error';
import { ActionNotPossible } from '../deployments/actions';
import { readFixture } from '../../test/unit/fixtures';
import {
    KNOWN_CERTIFICATES, MOK_PASSWORD_MAX, mokImportArgv, mokPasswordInput, mokPasswordRule, parseListNew, validateCertificatePath,
} from './mok';

describe('mokutil --list-new', () => {
    test('a pending key prints as --list-enrolled prints one (the Canonical recording)', () => {
        const keys = parseListNew(readFixture('nvidia-driver/mokutil-list-enrolled-canonical-ubuntu2204-hex.txt'));
        expect(keys).toHaveLength(1);
        expect(keys[0]).toMatchObject({
            subjectCn: 'Canonical Ltd. Master Certificate Authority',
            sha1Fingerprint: '76a092065800bf376901c372cd55a90e1fded2e0',
        });
    });

    test('no pending request: "MokNew is empty" (older mokutil) or nothing (current mokutil)', () => {
        expect(parseListNew('MokNew is empty\n')).toEqual([]);
        expect(parseListNew('')).toEqual([]);
        expect(parseListNew('\n')).toEqual([]);
    });

    test('no EFI (the darling recording) is a ParseError that says so', () => {
        expect(() => parseListNew(readFixture('nvidia-driver/mokutil-efi-not-supported-darling1025.txt'))).toThrow('EFI variables are not supported');
    });

    test('no Secure Boot (the pentoo recording) is a ParseError that says so', () => {
        expect(() => parseListNew(readFixture('nvidia-driver/mokutil-sb-state-not-supported-pentoo36.txt'))).toThrow('does not support Secure Boot');
    });

    test('anything else is a ParseError', () => {
        expect(() => parseListNew('Failed to read MokNew\n')).toThrow(ParseError);
        expect(() => parseListNew('SecureBoot enabled\n')).toThrow(ParseError);
    });
});

describe('validateCertificatePath and mokImportArgv', () => {
    test.each(KNOWN_CERTIFICATES.map(c => c.path).concat(['/var/lib/dkms/mok.crt', '/root/MOK.CER']))('%s', path => {
        expect(validateCertificatePath(path)).toEqual({ ok: true });
    });

    test.each([
        ['', 'empty'],
        ['public_key.der', 'absolute'],
        ['/etc/pki/akmods/../../shadow.der', '".."'],
        ['/etc//pki/key.der', 'empty or "."'],
        ['/etc/./pki/key.der', 'empty or "."'],
        ['/etc/pki/key.pem', '.der, .cer or .crt'],
        ['/etc/pki/key.der.sh', '.der, .cer or .crt'],
        ['/etc/pki/my key.der', 'blanks'],
        ['/etc/pki/key\n.der', 'blanks or control'],
        ['/etc/pki/$(id).der', 'characters'],
        ['/etc/pki/ключ.der', 'characters'],
    ])('%j is refused', (path, expected) => {
        const check = validateCertificatePath(path);
        expect(!check.ok && check.reason).toContain(expected);
    });

    test('argv', () => {
        expect(mokImportArgv('/etc/pki/akmods/certs/akmods-ublue.der')).toEqual(['mokutil', '--import', '/etc/pki/akmods/certs/akmods-ublue.der']);
        expect(() => mokImportArgv('--root-pw')).toThrow(ActionNotPossible);
    });

    test('the known certificates, ids stable', () => {
        expect(KNOWN_CERTIFICATES.map(c => c.id)).toEqual(['akmods', 'ublue-akmods', 'ublue-akmods-usr', 'ublue-nvidia-legacy']);
    });
});

describe('the one-time password', () => {
    test.each(['a', 'universalblue', 'correct horse battery staple', '!@#$%^&*()_+', 'x'.repeat(MOK_PASSWORD_MAX)])('%j is taken', pw => {
        expect(mokPasswordRule(pw)).toEqual({ ok: true });
    });

    test.each([
        ['', 'empty'],
        ['x'.repeat(MOK_PASSWORD_MAX + 1), 'longer than 256'],
        ['pass\nword', 'line break'],
        ['pass\rword', 'line break'],
        ['pass\tword', 'printable ASCII'],
        ['pässword', 'printable ASCII'],
        ['\u0000', 'printable ASCII'],
    ])('%j is refused', (pw, expected) => {
        const check = mokPasswordRule(pw);
        expect(!check.ok && check.reason).toContain(expected);
    });

    test('written twice, each with its newline, for the two prompts', () => {
        expect(mokPasswordInput('universalblue')).toBe('universalblue\nuniversalblue\n');
        expect(() => mokPasswordInput('a\nb')).toThrow(ActionNotPossible);
    });
});
