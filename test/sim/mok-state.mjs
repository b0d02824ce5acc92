// The machine owner keys of the simulated firmware beyond what the scenario recorded: keys
// `mokutil --import` asked for (MokNew) and keys a simulated reboot enrolled (MokManager's
// "Enroll MOK" step, which needs the one-time password at the console). Firmware state, so it
// survives GPU-state swaps: <state>/scenario/mok-state.json
//   { "pending": [Key], "enrolled": [Key] }
//   Key: { "file": path as given, "der": base64, "sha1": "aa:bb:…", "subject": "C=…, CN=…",
//          "cn": "…", "text": the certificate as mokutil prints it (without "[key N]") }
// See test/sim/README.md, "mokutil".

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';

const FILE = 'mok-state.json';

export function readMokState(scenarioDir) {
    try {
        const j = JSON.parse(fs.readFileSync(path.join(scenarioDir, FILE), 'utf8'));
        return { pending: j.pending ?? [], enrolled: j.enrolled ?? [] };
    } catch {
        return { pending: [], enrolled: [] };
    }
}

export function writeMokState(scenarioDir, s) {
    const file = path.join(scenarioDir, FILE);
    const tmp = `${file}.${process.pid}.${crypto.randomBytes(3).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`, { mode: 0o644 });
    fs.renameSync(tmp, file);
}

/** The MokManager step of a reboot: pending requests become enrolled keys. Returns the state. */
export function enrolPending(scenarioDir) {
    const s = readMokState(scenarioDir);
    if (s.pending.length === 0) return s;
    const next = { pending: [], enrolled: [...s.enrolled, ...s.pending] };
    writeMokState(scenarioDir, next);
    return next;
}

function cnOf(dn) {
    const m = /(?:^|,\s*)CN=([^,]+)/.exec(dn);
    return m ? m[1].trim() : null;
}

/**
 * The text mokutil prints for one X.509 key: print_x509() in mokutil's src/mokutil.c,
 * "SHA1 Fingerprint: " with lower-case colon-separated hex, then OpenSSL's X509_print_fp(), as in
 * test/fixtures/nvidia-driver/mokutil-list-enrolled-canonical-ubuntu2204-hex.txt. The dump is
 * this machine's `openssl x509 -text -nameopt compat` (the same X509_print; compat: the
 * "C=GB, ST=…" name form of the recording). Without openssl: the subject, issuer, serial and
 * validity lines alone in that layout (derived from Node's X509Certificate).
 */
function renderCert(der, cert) {
    const sha1 = crypto.createHash('sha1').update(der).digest('hex').match(/../g).join(':');
    let dump = null;
    try {
        dump = execFileSync('openssl', ['x509', '-inform', 'DER', '-noout', '-text', '-nameopt', 'compat'], { input: der, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    } catch {
        dump = null;
    }
    if (!dump) {
        const dn = (s) => s.split('\n').join(', ');
        const serial = cert.serialNumber.toLowerCase().match(/../g).join(':');
        dump = 'Certificate:\n    Data:\n        Version: 3 (0x2)\n        Serial Number:\n'
            + `            ${serial}\n        Issuer: ${dn(cert.issuer)}\n        Validity\n`
            + `            Not Before: ${cert.validFrom}\n            Not After : ${cert.validTo}\n        Subject: ${dn(cert.subject)}\n`;
    }
    return { sha1, text: `SHA1 Fingerprint: ${sha1}\n${dump}` };
}

/** A Key for a DER file's bytes, or null when they are not an X.509 certificate. */
export function keyOf(file, der) {
    let cert;
    try {
        cert = new crypto.X509Certificate(der);
    } catch {
        return null;
    }
    const subject = cert.subject.split('\n').join(', ');
    const { sha1, text } = renderCert(der, cert);
    return { file, der: der.toString('base64'), sha1, subject, cn: cnOf(subject), text };
}

/** Keys in mokutil's long listing: "[key N]" then the key, a blank line between keys (list_keys()). */
export function listKeys(keys, first = 1) {
    return keys.map((k, i) => `[key ${first + i}]\n${k.text}`).join('\n');
}
