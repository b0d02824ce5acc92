// Whether nouveau is kept off the GPU: a modprobe.d "blacklist nouveau" (or "install
// nouveau /bin/false"), "options nouveau modeset=0", or the kernel arguments that do the
// same in the initramfs (rd.driver.blacklist=nouveau, modprobe.blacklist=nouveau,
// nouveau.modeset=0). Pure.
import type { NouveauBlacklist } from './gpu';

/** One modprobe.d file's content, named by its path. */
export interface ModprobeFile {
    path: string;
    text: string;
}

function listHas(value: string, module: string): boolean {
    return value.split(',').map(m => m.trim().replace(/-/g, '_')).includes(module);
}

/** Kernel command line words, honouring double quotes the way the kernel does. */
export function cmdlineWords(cmdline: string): string[] {
    const words: string[] = [];
    let current = '';
    let quoted = false;
    let inWord = false;
    for (const c of cmdline.trim()) {
        if (c === '"') {
            quoted = !quoted;
            inWord = true;
        } else if (/\s/.test(c) && !quoted) {
            if (inWord)
                words.push(current);
            current = '';
            inWord = false;
        } else {
            current += c;
            inWord = true;
        }
    }
    if (inWord)
        words.push(current);
    return words;
}

export function nouveauBlacklist(files: readonly ModprobeFile[], cmdline: string | null): NouveauBlacklist {
    const result: NouveauBlacklist = { modprobe: false, modesetOff: false, kernelArgs: false, kernelModesetOff: false, sources: [] };
    for (const file of files) {
        let found = false;
        for (const raw of file.text.split('\n')) {
            const line = raw.replace(/#.*/, '').trim();
            const words = line.split(/\s+/);
            if (words[0] === 'blacklist' && words[1] === 'nouveau' || words[0] === 'install' && words[1] === 'nouveau') {
                result.modprobe = true;
                found = true;
            } else if (words[0] === 'options' && words[1] === 'nouveau' && words.slice(2).includes('modeset=0')) {
                result.modesetOff = true;
                found = true;
            }
        }
        if (found)
            result.sources.push(file.path);
    }
    if (cmdline !== null) {
        let found = false;
        for (const word of cmdlineWords(cmdline)) {
            const eq = word.indexOf('=');
            const key = (eq < 0 ? word : word.slice(0, eq)).replace(/-/g, '_');
            const value = eq < 0 ? '' : word.slice(eq + 1);
            if ((key === 'rd.driver.blacklist' || key === 'modprobe.blacklist') && listHas(value, 'nouveau')) {
                result.kernelArgs = true;
                found = true;
            } else if (key === 'nouveau.modeset' && value === '0') {
                result.kernelModesetOff = true;
                found = true;
            }
        }
        if (found)
            result.sources.push('/proc/cmdline');
    }
    return result;
}
