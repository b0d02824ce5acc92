// The Kernel & driver area's host side: the deployment trees (one script, unprivileged),
// the known-good records and settings (small files under /var/lib, written atomically
// with administrative access), the boot-time recorder's units, and kernel arguments.
import { ensureDirectory, readFile, replaceFile } from '../../pkg/lib/file';
import { HostError } from '../../pkg/lib/host-error';
import { run, runScript } from '../../pkg/lib/run';
import { parseKargs } from '../deployments/kargs-parser';
import { parseAutoPins, parseSettings, serializeAutoPins, serializeSettings, type Read } from './auto-pins';
import deploymentModulesScript from './deployment-modules.sh';
import { parseDeploymentModules } from './deployment-modules-parser';
import type { AutoPins, DeploymentTree, KernelSettings, KnownGoodFile, KnownGoodRecord } from './kernel';
import { alreadyRecorded, appendRecord, parseKnownGood } from './known-good';
import {
    AUTO_PINS_FILE, KNOWN_GOOD_FILE, RECORDER_DIR, RECORDER_SCRIPT, SERVICE_NAME, SETTINGS_FILE, STATE_DIR, TIMER_NAME, UNIT_DIR,
    serviceUnit, timerUnit,
} from './known-good-units';
import recorderScript from './record-known-good.sh';

/** modinfo on every module file of every deployment: a few seconds on a slow disk at most. */
const TREES_TIMEOUT_MS = 60000;

export async function readTrees(): Promise<DeploymentTree[]> {
    return parseDeploymentModules(await runScript('deployment-modules.sh', deploymentModulesScript, [], { timeoutMs: TREES_TIMEOUT_MS }));
}

export interface KernelRecords {
    knownGood: KnownGoodFile;
    autoPins: Read<AutoPins>;
    settings: Read<KernelSettings>;
    recorderInstalled: boolean;
}

export async function readKernelRecords(): Promise<KernelRecords> {
    const [knownGood, autoPins, settings, timer] = await Promise.all([
        readFile(KNOWN_GOOD_FILE), readFile(AUTO_PINS_FILE), readFile(SETTINGS_FILE), readFile(`${UNIT_DIR}/${TIMER_NAME}`),
    ]);
    return {
        knownGood: parseKnownGood(knownGood ?? ''),
        autoPins: parseAutoPins(autoPins),
        settings: parseSettings(settings),
        recorderInstalled: timer !== null,
    };
}

async function ensureStateDir(): Promise<void> {
    await ensureDirectory(STATE_DIR);
}

/**
 * Add a record unless the file says it already. Read and write in one go so a record the
 * boot-time recorder wrote meanwhile is kept (the write reads the newest text first).
 */
export async function addKnownGood(record: KnownGoodRecord): Promise<boolean> {
    await ensureStateDir();
    const text = await readFile(KNOWN_GOOD_FILE, { admin: true }) ?? '';
    if (alreadyRecorded(parseKnownGood(text), record))
        return false;
    await replaceFile(KNOWN_GOOD_FILE, appendRecord(text, record), { admin: true });
    return true;
}

export async function writeAutoPins(pins: AutoPins): Promise<void> {
    await ensureStateDir();
    await replaceFile(AUTO_PINS_FILE, serializeAutoPins(pins), { admin: true });
}

export async function writeSettings(settings: KernelSettings): Promise<void> {
    await ensureStateDir();
    await replaceFile(SETTINGS_FILE, serializeSettings(settings), { admin: true });
}

/** Install the boot-time recorder: its script under /etc, the two units, enabled. */
export async function installRecorder(): Promise<void> {
    await ensureDirectory(RECORDER_DIR);
    await ensureDirectory(UNIT_DIR);
    await replaceFile(RECORDER_SCRIPT, recorderScript, { admin: true });
    await replaceFile(`${UNIT_DIR}/${SERVICE_NAME}`, serviceUnit(), { admin: true });
    await replaceFile(`${UNIT_DIR}/${TIMER_NAME}`, timerUnit(), { admin: true });
    await run(['systemctl', 'daemon-reload'], { admin: true });
    await run(['systemctl', 'enable', TIMER_NAME], { admin: true });
}

export async function uninstallRecorder(): Promise<void> {
    // a timer that is already gone from systemd is no reason to keep its files
    await run(['systemctl', 'disable', TIMER_NAME], { admin: true }).catch(error => {
        if (!(error instanceof HostError && error.kind === 'exit'))
            throw error;
    });
    await replaceFile(`${UNIT_DIR}/${TIMER_NAME}`, null, { admin: true });
    await replaceFile(`${UNIT_DIR}/${SERVICE_NAME}`, null, { admin: true });
    await replaceFile(RECORDER_SCRIPT, null, { admin: true });
    await run(['systemctl', 'daemon-reload'], { admin: true });
}

/** The booted deployment's kernel arguments (rpm-ostree kargs, unprivileged). */
export async function readKargs(): Promise<string[]> {
    return parseKargs(await run(['rpm-ostree', 'kargs']));
}
