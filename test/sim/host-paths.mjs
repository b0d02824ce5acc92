// Paths of the simulated host: a file the page names (/var/tmp/kernel-core-….rpm,
// /etc/pki/akmods/certs/public_key.der) lives under the root prefix. An absolute path already
// inside the root prefix is taken as it is (a caller that prefixed it itself); any other
// absolute path is looked up under the root prefix; a relative one is made absolute against the
// caller's working directory first.

import path from 'node:path';

export function hostPath(rootDir, p) {
    const abs = path.resolve(p);
    const root = path.resolve(rootDir);
    if (abs === root || abs.startsWith(`${root}${path.sep}`)) return abs;
    return path.join(root, abs);
}
