// The GPUs tab's one-shot reads: nvidia-smi's report, then the driver facts the
// diagnosis needs, then the verdict. When the verdict is bad on an image-based host the
// deployments are read too, so the remedy can name the deployment to go back to; a
// healthy host pays nothing for that. Read again on demand ("Check again").
import { useAsync } from '../../pkg/lib/use-async';
import type { DeploymentsTool } from '../deployments/actions';
import { readDeploymentsStatus } from '../deployments/deployments-client';
import { updateModel } from '../system/capabilities';
import { useHostCapabilities } from '../system/host-capabilities-context';
import type { Diagnosis, DriverFacts, GpuInventory, NvidiaSmiOutcome } from './gpu';
import { diagnose } from './diagnosis';
import { deploymentsHintOf } from './deployments-hint';
import { readDriverFacts } from './driver-facts-reader';
import { readInventory } from './gpus-client';

export interface GpuHealth {
    loading: boolean;
    refreshing: boolean;
    error: unknown;
    outcome: NvidiaSmiOutcome | null;
    inventory: GpuInventory | null;
    parseError: unknown;
    facts: DriverFacts | null;
    diagnosis: Diagnosis | null;
    reload(): void;
}

interface Reading {
    outcome: NvidiaSmiOutcome;
    inventory: GpuInventory | null;
    parseError: unknown;
    facts: DriverFacts;
    diagnosis: Diagnosis;
}

async function readHealth(tool: DeploymentsTool | null): Promise<Reading> {
    const { outcome, inventory, parseError } = await readInventory();
    let facts = await readDriverFacts(outcome);
    let diagnosis = diagnose(facts);
    if (diagnosis.severity !== 'ok' && diagnosis.severity !== 'info' && tool !== null) {
        // the remedy reads better with the deployment to return to; without it, it still stands
        const status = await readDeploymentsStatus(tool).catch(() => null);
        if (status) {
            facts = { ...facts, deployments: deploymentsHintOf(status) };
            diagnosis = diagnose(facts);
        }
    }
    return { outcome, inventory, parseError, facts, diagnosis };
}

function useDeploymentsTool(): DeploymentsTool | null | undefined {
    const caps = useHostCapabilities();
    if (caps.state.status === 'loading')
        return undefined;
    if (caps.state.status === 'error')
        return null;
    const model = updateModel(caps.state.data);
    return model === 'rpm-ostree' || model === 'bootc' ? model : null;
}

export function useGpuHealth(): GpuHealth {
    const tool = useDeploymentsTool();
    const { state, reload, refreshing } = useAsync(
        () => tool === undefined ? new Promise<Reading>(() => undefined) : readHealth(tool),
        [tool]);
    const data = state.status === 'ready' ? state.data : null;
    return {
        loading: state.status === 'loading',
        refreshing,
        error: state.status === 'error' ? state.error : null,
        outcome: data?.outcome ?? null,
        inventory: data?.inventory ?? null,
        parseError: data?.parseError ?? null,
        facts: data?.facts ?? null,
        diagnosis: data?.diagnosis ?? null,
        reload,
    };
}
