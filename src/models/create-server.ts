// Creating a model server, step by step, and undoing what was done when a step fails:
// nothing half-created is left behind (a container that was created but cannot start or
// dies at once is removed again; the model files are never touched). The host is reached
// through the injected operations, so the order and the roll-back are unit-tested.
import { _, format } from '../../pkg/lib/gettext';
import { describeError, type ErrorText } from '../app/error-text';
import type { CatalogEntry } from './catalog';
import { containerCreateBody } from './container-spec';
import type { ContainerDetails } from './libpod-inspect-parser';
import type { ModelServer, ServerPlan } from './model-server';
import { checkModelPath, type ModelPathReport } from './model-path-parser';

export interface CreateOperations {
    checkModelPath(path: string): Promise<ModelPathReport>;
    /** The host path podman must mount (the simulated workstation prefixes its root). */
    mountSource(path: string): Promise<string>;
    imageExists(reference: string): Promise<boolean>;
    pullImage(reference: string, onLine: (line: string) => void): Promise<void>;
    applyFirewall(): Promise<void>;
    ensurePrivateNetwork(): Promise<unknown>;
    create(body: ReturnType<typeof containerCreateBody>): Promise<string>;
    start(name: string): Promise<void>;
    inspect(name: string): Promise<ContainerDetails>;
    logsTail(name: string): Promise<string>;
    remove(name: string): Promise<void>;
    installBootUnit(plan: ServerPlan): Promise<string>;
    sleep(ms: number): Promise<void>;
}

export class CreateFailed extends Error {
    /** The step that failed, in words. */
    readonly step: string;
    /** What the server printed before it died, when it did. */
    readonly output: string;
    /** The underlying error, described by its own kind. */
    readonly reason: unknown;
    constructor(step: string, message: string, output = '', reason: unknown = null) {
        super(message);
        this.name = 'CreateFailed';
        this.step = step;
        this.output = output;
        this.reason = reason;
    }

    describe(): ErrorText {
        const inner = this.reason !== null ? describeError(this.reason) : null;
        return {
            summary: format(_("$0 failed: $1"), this.step, inner?.summary ?? this.message),
            detail: this.output || inner?.detail || '',
            hint: (inner?.hint ?? _("Fix what the message says and create the server again.")) + ' ' +
                _("Nothing was left behind: a container made on the way was removed again, and the model files were not touched."),
        };
    }
}

/** A server that is still running this long after its start did not die "at once". */
export const SETTLE_MS = 2500;

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}

/** A port another server publishes already: podman would fail on start with "address already in use". */
export function portTakenBy(servers: readonly ModelServer[], port: number): ModelServer | null {
    return servers.find(s => s.state === 'running' && s.ports.some(p => p.hostPort === port)) ?? null;
}

export async function createServer(
    entry: CatalogEntry, plan: ServerPlan, startAtBoot: boolean, ops: CreateOperations,
    onStep: (text: string) => void,
): Promise<{ unit: string | null }> {
    const step = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
        onStep(text);
        try {
            return await work();
        } catch (error) {
            if (error instanceof CreateFailed)
                throw error;
            throw new CreateFailed(text, messageOf(error), '', error);
        }
    };

    const report = await step(_("Checking the model"), () => ops.checkModelPath(plan.modelHostPath));
    const verdict = checkModelPath(report, entry.modelFormats);
    if (!verdict.ok)
        throw new CreateFailed(_("Checking the model"), verdict.reason);

    const present = await step(format(_("Looking for image $0"), plan.image), () => ops.imageExists(plan.image));
    if (!present) {
        await step(format(_("Pulling $0"), plan.image), () => ops.pullImage(plan.image, line => onStep(line)));
    }

    await step(_("Blocking outbound connections from model servers (nftables)"), () => ops.applyFirewall());
    await step(_("Preparing the private network"), () => ops.ensurePrivateNetwork());

    const source = await ops.mountSource(plan.modelHostPath);
    await step(_("Creating the container"), () => ops.create(containerCreateBody({ ...plan, modelHostPath: source })));

    const undo = async () => {
        await ops.remove(plan.name).catch(() => undefined);
    };
    try {
        await step(_("Starting"), () => ops.start(plan.name));
        await ops.sleep(SETTLE_MS);
        const details = await step(_("Checking that it runs"), () => ops.inspect(plan.name));
        if (details.state !== 'running') {
            const output = await ops.logsTail(plan.name).catch(() => '');
            throw new CreateFailed(_("Starting"),
                format(_("The server exited at once (exit code $0)."), details.exitCode ?? '?') +
                (details.error ? ` ${details.error}` : ''), output);
        }
        if (!startAtBoot)
            return { unit: null };
        // a server the admin asked to survive a reboot but that would not is not what was asked for
        const unit = await step(_("Writing the Quadlet unit for boot"), () => ops.installBootUnit(plan));
        return { unit };
    } catch (error) {
        await undo();
        throw error;
    }
}
