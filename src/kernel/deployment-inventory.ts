// The kernel and NVIDIA module each deployment boots with: the Deployments model joined
// with what deployment-modules.sh found in each deployment's own tree. Pure.
import type { Deployment } from '../deployments/deployment';
import type { DeploymentInventory, DeploymentTree, NvidiaModuleFacts, TreeKernel, TreeModule } from './kernel';
import { rpmvercmp } from './rpm-version';

/** The tree of a deployment: same checksum and serial, and the same stateroot where the status names one. */
export function treeOf(deployment: Deployment, trees: readonly DeploymentTree[]): DeploymentTree | null {
    return trees.find(t => t.checksum === deployment.checksum && t.serial === deployment.serial &&
        (deployment.osname === null || t.osname === deployment.osname)) ?? null;
}

/**
 * The kernel it boots (kernel.ts): the status's, which comes from the commit's ostree.linux
 * and so is exactly the one in the boot entry; else, with one kernel in the tree, that one;
 * else the newest, because ostree deploys the newest kernel folder of a tree it cannot
 * otherwise choose from.
 */
function bootedKernel(deployment: Deployment, tree: DeploymentTree): { kernel: string | null, folder: TreeKernel | null } {
    if (deployment.kernel)
        return { kernel: deployment.kernel.version, folder: tree.kernels.find(k => k.version === deployment.kernel?.version) ?? null };
    const newest = [...tree.kernels].sort((a, b) => rpmvercmp(b.version, a.version))[0] ?? null;
    return { kernel: newest?.version ?? null, folder: newest };
}

/**
 * The module modprobe would take for `kernel` out of those in its folder: one built for this
 * kernel (vermagic) first, then any that modinfo could read, then the first found.
 */
function chosenModule(modules: readonly TreeModule[], kernel: string): TreeModule | null {
    return modules.find(m => m.modinfo?.vermagicKernel === kernel) ??
        modules.find(m => m.modinfo !== null) ??
        modules[0] ?? null;
}

function factsOf(module: TreeModule): NvidiaModuleFacts {
    return {
        version: module.modinfo?.version ?? null,
        flavour: module.modinfo?.flavour ?? null,
        signer: module.modinfo?.signer ?? null,
        builtFor: module.modinfo?.vermagicKernel ?? null,
        path: module.path,
    };
}

function inventoryOfOne(deployment: Deployment, trees: readonly DeploymentTree[]): DeploymentInventory {
    const base = { deploymentId: deployment.id, checksum: deployment.checksum };
    const tree = treeOf(deployment, trees);
    if (!tree) {
        const folder = `${deployment.osname ?? '*'}/deploy/${deployment.checksum}.${deployment.serial}`;
        return {
            ...base,
            kernel: deployment.kernel?.version ?? null,
            nvidia: null,
            moduleMatchesKernel: null,
            source: 'none',
            problems: [`the deployment's tree (/ostree/deploy/${folder}) could not be read`],
        };
    }
    const problems: string[] = [];
    const { kernel, folder } = bootedKernel(deployment, tree);
    if (kernel === null)
        problems.push('the deployment\'s tree holds no kernel modules folder (usr/lib/modules)');
    else if (!folder)
        problems.push(`the deployment's tree has no modules folder for its kernel ${kernel}`);
    const module = folder && kernel ? chosenModule(folder.modules, kernel) : null;
    if (module?.error)
        problems.push(`${module.path}: ${module.error}`);
    const builtFor = module?.modinfo?.vermagicKernel ?? null;
    return {
        ...base,
        kernel,
        nvidia: module ? factsOf(module) : null,
        // unknown without a module or without its vermagic: no match is claimed either way
        moduleMatchesKernel: module && builtFor !== null && kernel !== null ? builtFor === kernel : null,
        source: 'tree',
        problems,
    };
}

/** One inventory per deployment, in the status's order. */
export function inventoryOf(deployments: readonly Deployment[], trees: readonly DeploymentTree[]): DeploymentInventory[] {
    return deployments.map(d => inventoryOfOne(d, trees));
}
