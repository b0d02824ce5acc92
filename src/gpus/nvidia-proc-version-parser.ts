// /proc/driver/nvidia/version: which kernel module is loaded, open or proprietary, its
// version and build. Both flavours print "NVRM version:" then a GCC line:
//   NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  565.57.01  Release Build  (dvs-builder@U16-A24-9-2)  Thu Oct 10 …
//   NVRM version: NVIDIA UNIX x86_64 Kernel Module  384.98  Thu Oct 26 15:16:01 PDT 2017
// Pure.
import { ParseError } from '../../pkg/lib/parse-error';
import type { NvidiaProcVersion } from './gpu';

const TOOL = '/proc/driver/nvidia/version';
const OPEN = /^NVRM version:\s+NVIDIA UNIX Open Kernel Module for (\S+)\s+(\d+(?:\.\d+)+)\s*(.*)$/;
const PROPRIETARY = /^NVRM version:\s+NVIDIA UNIX (\S+) Kernel Module\s+(\d+(?:\.\d+)+)\s*(.*)$/;

export function parseNvidiaProcVersion(text: string): NvidiaProcVersion {
    const lines = text.split('\n').map(line => line.trimEnd());
    const nvrm = lines.find(line => line.startsWith('NVRM version:'));
    if (!nvrm)
        throw new ParseError(TOOL, 'no "NVRM version:" line', text);
    const gccLine = lines.find(line => line.startsWith('GCC version:'));
    const gcc = gccLine ? gccLine.slice('GCC version:'.length).trim() || null : null;
    const open = OPEN.exec(nvrm);
    if (open)
        return { flavour: 'open', arch: open[1], version: open[2], build: open[3].trim() || null, gcc };
    const proprietary = PROPRIETARY.exec(nvrm);
    if (proprietary)
        return { flavour: 'proprietary', arch: proprietary[1], version: proprietary[2], build: proprietary[3].trim() || null, gcc };
    throw new ParseError(TOOL, 'the NVRM line names no module version', text);
}
