// The simulated modinfo.
//   modinfo <absolute path>   the module file of a deployment tree (test/sim/deployment-trees.mjs
//                             writes a placeholder per NVIDIA module holding its facts): that
//                             module's modinfo in the recorded format
//   modinfo nvidia            the scenario's index.json answer (the running kernel's module, as
//                             recorded/derived per scenario); where index.json has none, the
//                             booted deployment's module for the running kernel
//                             (proc/sys/kernel/osrelease), printed the same way
// Exact index.json entries win. Anything else: "no recording" (exit 64).
//
// Formats (one module each, values replaced by the module's):
//   open:        test/fixtures/nvidia-driver/modinfo-nvidia-550.78-open-signed-fc40-ogkm635.txt
//                (without the poster's "--- cut ---" line; the recording ends at sig_hashalgo, so
//                no "signature:" lines are printed)
//   proprietary: test/fixtures/nvidia-driver/modinfo-nvidia-510-proprietary-unsigned-fc36-silverblue272.txt
//                (its five parm: lines, the recording being trimmed there)
// The version goes into version: and the firmware: paths, the kernel into vermagic:, the signer
// into signer: (no sig_* lines for an unsigned module; for a signed proprietary one they follow
// vermagic: as in the open recording). srcversion, aliases and the rest stay the recordings'
// (derived: each real build has its own srcversion). sig_key: the module's, else the recorded one
// for the recorded signer, else derived from the signer's name (sha1, not a real key id).
// Errors (kmod's tools/modinfo.c; the first recorded in
// test/fixtures/nvidia-driver/modinfo-error-module-not-found-fc25-bumblebee853.txt, exit 1 not
// shown there): a name or a path that is no file: "modinfo: ERROR: Module X not found." (kmod
// takes an argument for a file only when it exists: is_module_filename()); a file that is not a
// module: "modinfo: ERROR: could not get modinfo from 'NAME': Exec format error" (not recorded).

import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { Host, bootedOf, indexAnswers } from '../deployments-state.mjs';
import { readPlaceholder, treeOf } from '../deployment-trees.mjs';
import { hostPath } from '../host-paths.mjs';
import { result } from '../deployments-cli.mjs';

const RECORDED_SIGNER = 'Nvidia Driver Kmod Signing MOK';
const RECORDED_SIG_KEY = '66:35:85:E7:27:E0:37:7A:5C:D9:65:06:B1:B3:5D:81:FC:FE:76:14';

function line(key, value) {
    // modinfo pads "key:" to 16 columns (the recordings)
    return `${`${key}:`.padEnd(16)}${value}\n`;
}

function sigKeyOf(m) {
    if (m.sigKey) return m.sigKey;
    if (m.signer === RECORDED_SIGNER) return RECORDED_SIG_KEY;
    return crypto.createHash('sha1').update(`aiws-sim ${m.signer}`).digest('hex').toUpperCase().match(/../g).join(':');
}

function sigLines(m) {
    if (!m.signer) return '';
    return line('sig_id', 'PKCS#7') + line('signer', m.signer) + line('sig_key', sigKeyOf(m)) + line('sig_hashalgo', 'sha256');
}

const PCI_ALIASES = ['pci:v000010DEd*sv*sd*bc06sc80i00*', 'pci:v000010DEd*sv*sd*bc03sc02i00*', 'pci:v000010DEd*sv*sd*bc03sc00i00*'];

/** modinfo's text for module facts m ({ version, flavour, signer, sigKey, vermagic }) at `filename`. */
export function formatModinfo(m, filename) {
    const vermagic = `${m.vermagic} SMP preempt mod_unload `;
    const tail = line('depends', '') + line('retpoline', 'Y') + line('name', 'nvidia') + line('vermagic', vermagic);
    if (m.flavour === 'proprietary') {
        return line('filename', filename) + line('firmware', `nvidia/${m.version}/gsp.bin`) + line('alias', 'char-major-195-*')
            + line('version', m.version) + line('supported', 'external') + line('license', 'NVIDIA') + line('rhelversion', '9.99')
            + line('srcversion', '54C25FAC32C4FFFE219AEA7') + PCI_ALIASES.map(a => line('alias', a)).join('') + tail + sigLines(m)
            + line('parm', 'NvSwitchRegDwords:NvSwitch regkey (charp)')
            + line('parm', 'NvSwitchBlacklist:NvSwitchBlacklist=uuid[,uuid...] (charp)')
            + line('parm', 'NVreg_ResmanDebugLevel:int') + line('parm', 'NVreg_RmLogonRC:int') + line('parm', 'NVreg_ModifyDeviceFiles:int');
    }
    return line('filename', filename) + line('import_ns', 'DMA_BUF') + line('alias', 'char-major-195-*') + line('version', m.version)
        + line('supported', 'external') + line('license', 'Dual MIT/GPL') + line('firmware', `nvidia/${m.version}/gsp_tu10x.bin`)
        + line('firmware', `nvidia/${m.version}/gsp_ga10x.bin`) + line('softdep', 'pre: ecdh_generic,ecdsa_generic')
        + line('rhelversion', '9.99') + line('srcversion', '559B949A4E28E211ED21D4D') + PCI_ALIASES.map(a => line('alias', a)).join('')
        + tail + sigLines(m);
}

const notFound = (name) => result('', `modinfo: ERROR: Module ${name} not found.\n`, 1);

function ofFile(ctx, arg) {
    const file = hostPath(ctx.rootDir, arg);
    if (!fs.statSync(file, { throwIfNoEntry: false })?.isFile()) return notFound(arg);
    const m = readPlaceholder(file);
    if (!m) return result('', `modinfo: ERROR: could not get modinfo from '${path.basename(arg).replace(/\.ko(\.(xz|zst|gz))?$/, '')}': Exec format error\n`, 1);
    return result(formatModinfo(m, arg), '', 0);
}

/** `modinfo nvidia` from the booted deployment's tree: its module in the running kernel's folder. */
function ofRunningKernel(ctx) {
    const host = Host.open(ctx, { startDaemon: false });
    if (!host) return null;
    const state = host.read();
    const booted = bootedOf(state.model);
    if (!booted) return null;
    let kernel = null;
    try {
        kernel = fs.readFileSync(path.join(ctx.rootDir, 'proc/sys/kernel/osrelease'), 'utf8').trim();
    } catch {
        kernel = null;
    }
    const tree = treeOf(host, state, booted);
    kernel = kernel || tree.kernel;
    const m = tree.modules.find(x => x.kernel === kernel);
    if (!m) return notFound('nvidia');
    return result(formatModinfo(m, `/lib/modules/${m.kernel}/${m.path}`), '', 0);
}

export async function handle(argv, ctx) {
    if (indexAnswers(ctx, argv)) return null;
    if (argv.length !== 1) return null;
    if (argv[0].startsWith('/')) return ofFile(ctx, argv[0]);
    if (argv[0] === 'nvidia') return ofRunningKernel(ctx);
    return null;
}
