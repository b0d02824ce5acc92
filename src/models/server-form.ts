// The create dialog's fields, checked before anything reaches podman (DESIGN decision 3),
// and the plan they make with a catalog entry. Every refusal is a sentence for the admin,
// so it is translated here. Pure.
import { _, format } from '../../pkg/lib/gettext';
import type { CatalogEntry } from './catalog';
import { LABEL, type GpuAssignment, type ServerPlan } from './model-server';

/** Where a server sees its model: one read-only bind mount below this folder. */
export const MODEL_MOUNT_ROOT = '/models';

export interface ServerForm {
    name: string;
    /** Only for "custom image"; catalog entries bring their own. */
    image: string;
    modelPath: string;
    gpus: GpuAssignment;
    hostPort: string;
    /** Only for "custom image". */
    containerPort: string;
    exposeOnAllInterfaces: boolean;
    memoryLimit: string;
    contextSize: string;
    extraArgs: string;
}

export type FieldName = 'name' | 'image' | 'modelPath' | 'hostPort' | 'containerPort' | 'memoryLimit' | 'contextSize' | 'extraArgs' | 'gpus';
export type FieldProblems = Partial<Record<FieldName, string>>;

// podman's own rule for names ([a-zA-Z0-9][a-zA-Z0-9_.-]*), kept short enough to be a
// systemd unit name and a file name in /etc/containers/systemd.
const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export function nameProblem(name: string, taken: readonly string[]): string | null {
    if (name === '')
        return _("Give the server a name.");
    if (!NAME.test(name))
        return _("Use letters, digits, '.', '_' and '-' only, starting with a letter or digit, at most 63 characters.");
    if (taken.includes(name))
        return format(_("A container named $0 exists already."), name);
    return null;
}

// docker/distribution's reference grammar, simplified: [registry[:port]/]path[:tag][@digest].
// The registry starts with a letter or digit, as in that grammar: Quadlet's Image= ends up
// in podman's argv, where a leading '-' would be read as options.
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const IMAGE = new RegExp(
    `^(?:[a-zA-Z0-9][a-zA-Z0-9.-]*(?::[0-9]+)?/)?${COMPONENT}(?:/${COMPONENT})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$`);

export function imageProblem(image: string): string | null {
    if (image === '')
        return _("Give the image, for example quay.io/ramalama/cuda:latest.");
    if (image.length > 255 || !IMAGE.test(image))
        return _("This is not an image reference: registry/name:tag, lower-case, no spaces.");
    return null;
}

export function portProblem(text: string): string | null {
    if (!/^[0-9]{1,5}$/.test(text.trim()))
        return _("A port is a number from 1 to 65535.");
    const port = Number(text);
    if (port < 1 || port > 65535)
        return _("A port is a number from 1 to 65535.");
    return null;
}

const UNITS: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };
const MEMORY_MIN = 64 * 1024 ** 2;

/** podman's --memory form (512m, 16g) in bytes; null when it is not one. */
export function memoryBytes(text: string): number | null {
    const match = /^([0-9]+)([bkmg]?)$/i.exec(text.trim());
    if (!match)
        return null;
    return Number(match[1]) * UNITS[(match[2] || 'b').toLowerCase()];
}

export function memoryProblem(text: string): string | null {
    const bytes = memoryBytes(text);
    if (bytes === null)
        return _("Give the memory limit as a number with m or g, for example 16g.");
    if (bytes < MEMORY_MIN)
        return _("A model server needs at least 64m of memory.");
    return null;
}

export function contextProblem(text: string): string | null {
    if (!/^[0-9]{3,8}$/.test(text.trim()) || Number(text) < 128)
        return _("The context size is a number of tokens, at least 128.");
    return null;
}

/**
 * Extra arguments as the admin types them, split the way a shell would split words
 * (single and double quotes, backslash) but with nothing expanded: no shell ever runs
 * them. Text that only means something to a shell is refused rather than passed on.
 */
export function splitArguments(text: string): { ok: true, args: string[] } | { ok: false, reason: string } {
    if (/[\0\n\r]/.test(text))
        return { ok: false, reason: _("Arguments go on one line.") };
    if (/`|\$\(|\$\{/.test(text))
        return { ok: false, reason: _("No shell runs these arguments: `…`, $(…) and ${…} would be passed on literally. Write the value itself.") };
    const args: string[] = [];
    let current = '';
    let inWord = false;
    let quote: '"' | "'" | null = null;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote) {
            if (c === quote)
                quote = null;
            else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\'))
                current += text[++i];
            else
                current += c;
        } else if (c === '"' || c === "'") {
            quote = c;
            inWord = true;
        } else if (c === '\\') {
            if (i + 1 >= text.length)
                return { ok: false, reason: _("The arguments end with a lone backslash.") };
            current += text[++i];
            inWord = true;
        } else if (c === ' ' || c === '\t') {
            if (inWord)
                args.push(current);
            current = '';
            inWord = false;
        } else {
            current += c;
            inWord = true;
        }
    }
    if (quote)
        return { ok: false, reason: format(_("A $0 quote is not closed."), quote) };
    if (inWord)
        args.push(current);
    return { ok: true, args };
}

/** Mount sources and targets are separated by ':' and options by ',' in podman's and Quadlet's volume syntax. */
export function modelMountProblem(path: string): string | null {
    if (/[:,]/.test(path))
        return _("The model path may not contain ':' or ',': podman's mount syntax uses them as separators. Rename or link the file.");
    return null;
}

function fill(template: string, values: Record<string, string>): string {
    return template.replace(/\{(model|port|context)\}/g, (_match, key: string) => values[key]);
}

function baseName(path: string): string {
    const parts = path.replace(/\/+$/, '').split('/');
    return parts[parts.length - 1] || 'model';
}

function gpuLabel(gpus: GpuAssignment): string {
    if (gpus.kind === 'some')
        return gpus.devices.join(',');
    return gpus.kind;
}

export type PlanResult =
    | { ok: true, plan: ServerPlan }
    | { ok: false, problems: FieldProblems };

/** Every field checked at once, so the dialog can mark them all; the plan only when all pass. */
export function planServer(entry: CatalogEntry, form: ServerForm, takenNames: readonly string[]): PlanResult {
    const problems: FieldProblems = {};
    const note = (field: FieldName, problem: string | null) => {
        if (problem)
            problems[field] = problem;
    };
    const name = form.name.trim();
    note('name', nameProblem(name, takenNames));
    const useGpu = form.gpus.kind !== 'none';
    const image = entry.custom ? form.image.trim() : (!useGpu && entry.cpuImage ? entry.cpuImage : entry.image);
    if (entry.custom)
        note('image', imageProblem(image));
    if (entry.requiresGpu && !useGpu)
        note('gpus', format(_("$0 needs an NVIDIA GPU."), entry.name));
    if (form.gpus.kind === 'some' && form.gpus.devices.length === 0)
        note('gpus', _("Pick at least one GPU, or choose all GPUs or CPU only."));
    const modelPath = form.modelPath.trim();
    if (modelPath === '')
        note('modelPath', _("Pick the model on this host."));
    else
        note('modelPath', modelMountProblem(modelPath));
    note('hostPort', portProblem(form.hostPort));
    if (entry.custom)
        note('containerPort', portProblem(form.containerPort));
    note('memoryLimit', memoryProblem(form.memoryLimit));
    note('contextSize', contextProblem(form.contextSize));
    const extra = splitArguments(form.extraArgs);
    if (!extra.ok)
        problems.extraArgs = extra.reason;
    if (Object.keys(problems).length > 0 || !extra.ok)
        return { ok: false, problems };

    const containerPort = entry.custom ? Number(form.containerPort) : entry.containerPort;
    const modelContainerPath = `${MODEL_MOUNT_ROOT}/${baseName(modelPath)}`;
    const values = { model: modelContainerPath, port: String(containerPort), context: String(Number(form.contextSize)) };
    const command = [...entry.args, ...(useGpu ? entry.gpuArgs : []), ...extra.args].map(arg => fill(arg, values));
    const env = Object.fromEntries(Object.entries(entry.env).map(([key, value]) => [key, fill(value, values)]));
    return {
        ok: true,
        plan: {
            name,
            catalogId: entry.id,
            image,
            api: entry.api,
            modelHostPath: modelPath.replace(/\/+$/, '') || '/',
            modelContainerPath,
            hostAddress: form.exposeOnAllInterfaces ? '0.0.0.0' : '127.0.0.1',
            hostPort: Number(form.hostPort),
            containerPort,
            gpus: form.gpus,
            memoryLimit: form.memoryLimit.trim().toLowerCase(),
            shmSize: entry.shmSize,
            command,
            env,
            healthCmd: entry.healthCmd ? entry.healthCmd.map(arg => fill(arg, values)) : null,
            healthPath: entry.healthPath,
            readOnlyRoot: entry.readOnlyRoot,
            labels: {
                [LABEL.managed]: 'true',
                [LABEL.catalog]: entry.id,
                [LABEL.model]: modelPath,
                [LABEL.api]: entry.api,
                [LABEL.healthPath]: entry.healthPath,
                [LABEL.gpus]: gpuLabel(form.gpus),
            },
        },
    };
}
