/** @jest-environment node */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParseError } from '../../pkg/lib/parse-error';
import { okText, parseFactSections } from './gpu-facts-sections';

const SCRIPT = path.join(__dirname, 'gpu-facts.sh');

test('sections with their status and text', () => {
    const s = parseFactSections('aiws-gpu-facts 1\n@@aiws kernel ok\n6.11.4-301.fc41.x86_64\n@@aiws module-version missing\n@@aiws sb-state exit=0\nSecureBoot enabled\n@@aiws lspci absent\n@@aiws mok-enrolled exit=1\nEFI variables are not supported on this system\n@@aiws end ok\n');
    expect(okText(s, 'kernel')).toBe('6.11.4-301.fc41.x86_64');
    expect(s.get('module-version')?.status).toEqual({ kind: 'missing' });
    expect(okText(s, 'sb-state')).toBe('SecureBoot enabled');
    expect(s.get('lspci')?.status).toEqual({ kind: 'absent' });
    expect(s.get('mok-enrolled')).toEqual({ status: { kind: 'exit', code: 1 }, text: 'EFI variables are not supported on this system' });
    expect(okText(s, 'mok-enrolled')).toBeNull();
});

test('truncated or foreign output is a parse error', () => {
    expect(() => parseFactSections('aiws-gpu-facts 1\n@@aiws kernel ok\n6.1\n')).toThrow(ParseError);
    expect(() => parseFactSections('<html>')).toThrow(ParseError);
    expect(() => parseFactSections('aiws-gpu-facts 1\n@@aiws kernel weird\n@@aiws end ok\n')).toThrow(ParseError);
});

test('the real script under a root prefix, with tools missing from PATH', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aiws-facts-'));
    try {
        fs.mkdirSync(path.join(root, 'proc/sys/kernel'), { recursive: true });
        fs.writeFileSync(path.join(root, 'proc/sys/kernel/osrelease'), '6.11.4-301.fc41.x86_64\n');
        fs.mkdirSync(path.join(root, 'sys/module/nvidia'), { recursive: true });
        fs.writeFileSync(path.join(root, 'sys/module/nvidia/version'), '570.124.04\n');
        fs.mkdirSync(path.join(root, 'etc/modprobe.d'), { recursive: true });
        fs.writeFileSync(path.join(root, 'etc/modprobe.d/blacklist-nouveau.conf'), 'blacklist nouveau\noptions nouveau modeset=0');
        const bin = path.join(root, 'bin');
        fs.mkdirSync(bin);
        fs.writeFileSync(path.join(bin, 'mokutil'), '#!/bin/sh\necho "SecureBoot disabled"\n', { mode: 0o755 });
        const out = execFileSync('/bin/sh', [SCRIPT], { env: { PATH: bin, AI_WORKSTATION_ROOT: root }, encoding: 'utf8' });
        const s = parseFactSections(out);
        expect(okText(s, 'kernel')).toBe('6.11.4-301.fc41.x86_64');
        expect(okText(s, 'module-version')).toBe('570.124.04');
        expect(s.has('loaded:nvidia')).toBe(true);
        expect(s.has('loaded:nouveau')).toBe(false);
        expect(okText(s, 'modprobe:/etc/modprobe.d/blacklist-nouveau.conf')).toBe('blacklist nouveau\noptions nouveau modeset=0');
        expect(s.get('driver-version')?.status.kind).toBe('missing');
        expect(s.get('modinfo')?.status.kind).toBe('absent');
        expect(s.get('lspci')?.status.kind).toBe('absent');
        expect(okText(s, 'sb-state')).toBe('SecureBoot disabled');
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
});
