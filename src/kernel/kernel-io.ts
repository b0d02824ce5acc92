// The Kernel & driver area's reads that are not files: pending MOK requests, registry tags.
import { run } from '../../pkg/lib/run';
import { runAnswering } from '../../pkg/lib/run-answering';
import type { EnrolledKey } from '../gpus/gpu';
import { mokImportArgv, mokPasswordInput, parseListNew } from './mok';
import { parseInspect, parseListTags, type ImageInspect } from './skopeo-parser';
import { inspectArgv, listTagsArgv } from './skopeo-tags';

export async function readPendingKeys(): Promise<EnrolledKey[]> {
    return parseListNew(await run(['mokutil', '--list-new']));
}

/**
 * mokutil asks for a one-time password twice on its terminal; the admin types it again
 * in the blue MokManager screen at the next boot, where the key is enrolled.
 */
export async function importKey(path: string, password: string): Promise<void> {
    const reply = mokPasswordInput(password).split('\n')[0] + '\n';
    await runAnswering(mokImportArgv(path), [
        { prompt: /input password:\s*$/, reply },
        { prompt: /input password again:\s*$/, reply },
    ], { admin: true, promptTimeoutMs: 20000 });
}

export async function readTags(repository: string): Promise<string[]> {
    return parseListTags(await run(listTagsArgv(repository), { timeoutMs: 60000 })).tags;
}

export async function inspectTag(repository: string, tag: string): Promise<ImageInspect> {
    const argv = inspectArgv(repository, tag);
    if (!argv)
        throw new RangeError(`not a tag: ${tag}`);
    return parseInspect(await run(argv, { timeoutMs: 60000 }));
}
