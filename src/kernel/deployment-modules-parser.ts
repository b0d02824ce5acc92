// The output of deployment-modules.sh: per deployment tree, its kernels and the NVIDIA
// modules next to each, with modinfo's description of every module file. Pure; throws
// only ParseError, and only for an answer that is not the script's or is cut short: one
// module that modinfo could not read is a fact of that module, not a broken answer.
import { ParseError } from '../../pkg/lib/parse-error';
import { parseModinfo } from '../gpus/modinfo-parser';
import type { DeploymentTree, TreeKernel, TreeModule } from './kernel';

const TOOL = 'deployment modules script';
const HEADER = 'aiws-deployment-modules 1';
const SECTION = '@@aiws ';
const DEPLOYMENT = /^([^/\s]+)\/([0-9a-f]{64})\.(\d+)$/;

interface OpenModule {
    path: string;
    status: { kind: 'exit', code: number } | { kind: 'absent' };
    lines: string[];
}

/** What modinfo said of one file: its description, or why there is none. */
function moduleOf(open: OpenModule): TreeModule {
    if (open.status.kind === 'absent')
        return { path: open.path, modinfo: null, error: 'modinfo is not installed' };
    const text = open.lines.join('\n');
    if (open.status.code !== 0) {
        const first = open.lines.find(l => l.trim() !== '')?.trim();
        return { path: open.path, modinfo: null, error: first ?? `modinfo exited with status ${open.status.code}` };
    }
    try {
        return { path: open.path, modinfo: parseModinfo(text), error: null };
    } catch (e) {
        if (e instanceof ParseError)
            return { path: open.path, modinfo: null, error: `modinfo answered in an unknown format: ${e.message}` };
        throw e;
    }
}

/** `<path> exit=N` or `<path> absent`: the path may hold blanks, the status is the last word. */
function moduleHeader(rest: string, text: string): OpenModule {
    const space = rest.lastIndexOf(' ');
    const path = space > 0 ? rest.slice(0, space) : '';
    const status = rest.slice(space + 1);
    const exit = /^exit=(\d+)$/.exec(status);
    if (path === '' || (!exit && status !== 'absent'))
        throw new ParseError(TOOL, `malformed module line "${SECTION}module ${rest}"`, text);
    return { path, status: exit ? { kind: 'exit', code: Number(exit[1]) } : { kind: 'absent' }, lines: [] };
}

export function parseDeploymentModules(text: string): DeploymentTree[] {
    const lines = text.split('\n');
    if (lines[0] !== HEADER)
        throw new ParseError(TOOL, 'the script answered in an unknown format', text);
    const trees: DeploymentTree[] = [];
    // null after a folder that is no deployment: its kernels are skipped with it
    let tree: DeploymentTree | null = null;
    let skipping = false;
    let kernel: TreeKernel | null = null;
    let module: OpenModule | null = null;
    let ended = false;
    const closeModule = () => {
        if (module && kernel)
            kernel.modules.push(moduleOf(module));
        module = null;
    };
    for (const line of lines.slice(1)) {
        if (!line.startsWith(SECTION)) {
            if (module)
                module.lines.push(line);
            else if (line.trim() !== '')
                throw new ParseError(TOOL, `unexpected line "${line}"`, text);
            continue;
        }
        closeModule();
        const body = line.slice(SECTION.length);
        const space = body.indexOf(' ');
        const what = space < 0 ? body : body.slice(0, space);
        const rest = space < 0 ? '' : body.slice(space + 1);
        if (what === 'end' && rest === 'ok') {
            ended = true;
            break;
        }
        if (what === 'deployment') {
            const m = DEPLOYMENT.exec(rest);
            // a stray folder under deploy/ (not <checksum>.<serial>) is no deployment
            skipping = !m;
            tree = m ? { osname: m[1], checksum: m[2], serial: Number(m[3]), kernels: [] } : null;
            if (tree)
                trees.push(tree);
            kernel = null;
        } else if (what === 'kernel') {
            if (!tree && !skipping)
                throw new ParseError(TOOL, 'a kernel outside a deployment', text);
            if (rest === '')
                throw new ParseError(TOOL, 'a kernel line without a version', text);
            kernel = tree ? { version: rest, modules: [] } : null;
            if (tree && kernel)
                tree.kernels.push(kernel);
        } else if (what === 'module') {
            if (!kernel && !skipping)
                throw new ParseError(TOOL, 'a module outside a kernel', text);
            module = moduleHeader(rest, text);
        } else {
            throw new ParseError(TOOL, `unknown section "${line}"`, text);
        }
    }
    if (!ended)
        throw new ParseError(TOOL, 'the answer is incomplete', text);
    return trees;
}
