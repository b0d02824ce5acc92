// Host files, read through the root prefix and replaced atomically (cockpit.file's
// replace writes a temporary file and renames it over the old one).
import cockpit from 'cockpit';
import { toHostError } from './host-error';
import { hostPath } from './host-root';
import { run } from './run';

export interface ReadFileOptions {
    admin?: boolean;
}

/** The file's text, or null when it does not exist. */
export async function readFile(path: string, options: ReadFileOptions = {}): Promise<string | null> {
    const real = await hostPath(path);
    const handle = cockpit.file(real, options.admin ? { superuser: 'require' } : {});
    try {
        return await handle.read();
    } catch (raw) {
        throw toHostError(path, raw);
    } finally {
        handle.close();
    }
}

export interface ReplaceFileOptions {
    admin?: boolean;
    /**
     * The tag the caller read the file with: the replace fails if someone changed the
     * file since, so a second admin's edit is never silently overwritten.
     */
    expectedTag?: string;
}

/** Replace the file's whole content atomically; null deletes it. Resolves to the new tag. */
export async function replaceFile(path: string, content: string | null, options: ReplaceFileOptions = {}): Promise<string> {
    const real = await hostPath(path);
    const handle = cockpit.file(real, options.admin ? { superuser: 'require' } : {});
    try {
        return await handle.replace(content, options.expectedTag);
    } catch (raw) {
        throw toHostError(path, raw);
    } finally {
        handle.close();
    }
}

/**
 * mkdir -p of a host folder with administrative access, before a replaceFile into it
 * (cockpit.file does not create folders; mkdir is a program, so the root prefix is added here).
 */
export async function ensureDirectory(path: string): Promise<void> {
    await run(['mkdir', '-p', '-m', '0755', await hostPath(path)], { admin: true });
}
