// What a simulated reboot does beyond the deployments (tools/systemctl.mjs calls it inside the
// state lock, after reboot() chose the deployment): the firmware's MokManager step and the GPU
// driver state the booted deployment brings. README "Per-deployment driver state".
//
// 1. MokManager: keys `mokutil --import` requested are enrolled (the console step with the
//    one-time password is taken as done).
// 2. GPU state: the deployment's (sim.deployments[key].gpu: the commit's "gpu", the scenario's
//    own files "@scenario" for the deployment booted at the start, or what it got the first time
//    it booted); none: the host's current state stays, and is remembered as this deployment's.
// 3. Secure Boot: when it is on and the booted kernel's NVIDIA module (the deployment's tree,
//    else the live `modinfo nvidia` answer) is signed by a key this session enrolled (the key's
//    CN is the module's signer, as the kernel's keyring compares them), the module loads: the
//    "healthy" state's GPU side is applied, mokutil left as it is (Secure Boot stays on). Checked
//    at every boot, so the state name stays the deployment's own.

import fs from 'node:fs';
import path from 'node:path';
import { applyState, currentState, liveAnswer } from './gpu-state.mjs';
import { bootModule, treeOf } from './deployment-trees.mjs';
import { enrolPending } from './mok-state.mjs';

export const LOADED_STATE = 'healthy';

function secureBootOn(ctx) {
    const a = liveAnswer(ctx, 'mokutil', ['--sb-state']);
    return !!a && a.exit === 0 && /SecureBoot enabled/.test(a.stdout);
}

function moduleLoaded(ctx) {
    return fs.existsSync(path.join(ctx.rootDir, 'sys/module/nvidia'));
}

/** The signer of the module the booted kernel would load, or null. */
function bootSigner(ctx, host, state, booted) {
    const m = bootModule(treeOf(host, state, booted));
    if (m) return m.signer;
    const a = liveAnswer(ctx, 'modinfo', ['nvidia']);
    if (!a || a.exit !== 0) return null;
    return /^signer:\s*(.+)$/m.exec(a.stdout)?.[1].trim() ?? null;
}

export function bootDriverState(host, state, booted) {
    const ctx = host.ctx;
    const mok = enrolPending(ctx.scenarioDir);
    const key = `${booted.checksum}.${booted.serial}`;
    state.sim.deployments = state.sim.deployments ?? {};
    const extra = state.sim.deployments[key] ?? (state.sim.deployments[key] = {});
    const current = currentState(ctx);
    const name = extra.gpu ?? current;
    extra.gpu = name;
    applyState(ctx, name);
    if (secureBootOn(ctx) && !moduleLoaded(ctx)) {
        const signer = bootSigner(ctx, host, state, booted);
        if (signer && mok.enrolled.some(k => k.cn === signer)) applyState(ctx, LOADED_STATE, { keep: ['mokutil'], record: false });
    }
}
