// GET /libpod/containers/{name}/logs → lines. podman multiplexes stdout and stderr into
// frames: an 8-byte header (byte 0 the stream: 1 stdout, 2 stderr; bytes 4..7 the payload
// length, big-endian) and the payload. podman 4.3.1 frames tty containers too (as stdout,
// lines ending in \r\n); Docker and other podman versions send a tty container's log as
// plain text, so text that does not start with a header is read as plain lines.
//
// Input: Uint8Array chunks (cockpit.http with binary: true, what pkg/lib's streamBytes
// gives) or "binary strings" where each char code 0..255 is one byte. Prefer bytes: a
// text channel decodes UTF-8, and a length byte above 0x7f is not valid UTF-8 on its own.
// A char above 0xff can only come from text that was decoded already, so it is encoded
// back to UTF-8 rather than refused; a decoded é (0xe9) cannot be told from a byte and is
// misread, which is why bytes are the input to use. Payloads are UTF-8; bad sequences
// become U+FFFD.
import { ParseError } from '../../pkg/lib/parse-error';
import { PODMAN_API } from './libpod-error';

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
    stream: LogStream;
    text: string;
}

const HEADER = 8;
// a line that never ends (a progress bar redrawn with \r) must not grow without bound
export const MAX_LINE_BYTES = 64 * 1024;

type Mode = 'undecided' | 'framed' | 'plain';

export class LogFrameDecoder {
    private mode: Mode = 'undecided';
    private header = new Uint8Array(HEADER);
    private headerLength = 0;
    private remaining = 0;
    private stream: LogStream = 'stdout';
    private readonly partial: Record<LogStream, Uint8Array[]> = { stdout: [], stderr: [] };
    private readonly partialLength: Record<LogStream, number> = { stdout: 0, stderr: 0 };

    push(chunk: Uint8Array | string): LogLine[] {
        const bytes = typeof chunk === 'string' ? binaryStringBytes(chunk) : chunk;
        const lines: LogLine[] = [];
        let offset = 0;
        while (offset < bytes.length) {
            if (this.mode === 'plain') {
                this.payload('stdout', bytes.subarray(offset), lines);
                break;
            }
            if (this.remaining > 0) {
                const take = Math.min(this.remaining, bytes.length - offset);
                this.payload(this.stream, bytes.subarray(offset, offset + take), lines);
                this.remaining -= take;
                offset += take;
                continue;
            }
            this.header[this.headerLength++] = bytes[offset++];
            if (!headerPrefixValid(this.header, this.headerLength)) {
                if (this.mode === 'framed')
                    throw new ParseError(PODMAN_API, 'container log: a frame header is damaged', latin1(this.header.subarray(0, this.headerLength)));
                // what was held back as a possible header is the start of the text
                this.mode = 'plain';
                this.payload('stdout', this.header.slice(0, this.headerLength), lines);
                this.headerLength = 0;
                continue;
            }
            if (this.headerLength === HEADER) {
                this.mode = 'framed';
                this.stream = this.header[0] === 2 ? 'stderr' : 'stdout';
                this.remaining = new DataView(this.header.buffer).getUint32(4, false);
                this.headerLength = 0;
            }
        }
        return lines;
    }

    /** The stream ended: unterminated lines, and text too short to tell from a header. */
    flush(): LogLine[] {
        const lines: LogLine[] = [];
        if (this.mode === 'undecided' && this.headerLength > 0)
            this.payload('stdout', this.header.slice(0, this.headerLength), lines);
        this.headerLength = 0;
        this.remaining = 0;
        for (const stream of ['stdout', 'stderr'] as const) {
            if (this.partialLength[stream] > 0)
                lines.push({ stream, text: stripCr(decodeUtf8(this.take(stream))) });
        }
        return lines;
    }

    private payload(stream: LogStream, bytes: Uint8Array, lines: LogLine[]) {
        let start = 0;
        for (let i = 0; i < bytes.length; i++) {
            if (bytes[i] !== 0x0a)
                continue;
            this.hold(stream, bytes.subarray(start, i));
            lines.push({ stream, text: stripCr(decodeUtf8(this.take(stream))) });
            start = i + 1;
        }
        if (start < bytes.length)
            this.hold(stream, bytes.slice(start));
        while (this.partialLength[stream] > MAX_LINE_BYTES) {
            const held = this.take(stream);
            const cut = charBoundary(held, MAX_LINE_BYTES);
            lines.push({ stream, text: decodeUtf8(held.subarray(0, cut)) });
            this.hold(stream, held.slice(cut));
        }
    }

    private hold(stream: LogStream, bytes: Uint8Array) {
        if (bytes.length === 0)
            return;
        // a subarray may be a view on the caller's chunk, which it is free to reuse
        this.partial[stream].push(bytes.slice());
        this.partialLength[stream] += bytes.length;
    }

    private take(stream: LogStream): Uint8Array {
        const out = new Uint8Array(this.partialLength[stream]);
        let at = 0;
        for (const part of this.partial[stream]) {
            out.set(part, at);
            at += part.length;
        }
        this.partial[stream] = [];
        this.partialLength[stream] = 0;
        return out;
    }
}

// byte 0: 0 stdin (never sent, read as stdout), 1 stdout, 2 stderr; bytes 1..3 are zero
function headerPrefixValid(header: Uint8Array, length: number): boolean {
    if (header[0] > 2)
        return false;
    for (let i = 1; i < Math.min(length, 4); i++)
        if (header[i] !== 0)
            return false;
    return true;
}

function stripCr(text: string): string {
    return text.endsWith('\r') ? text.slice(0, -1) : text;
}

// back off from limit to the start of a UTF-8 sequence, so that a cut does not split a character
function charBoundary(bytes: Uint8Array, limit: number): number {
    let cut = limit;
    while (cut > limit - 4 && cut > 0 && (bytes[cut] & 0xc0) === 0x80)
        cut--;
    return cut > 0 ? cut : limit;
}

function latin1(bytes: Uint8Array): string {
    return Array.from(bytes, b => String.fromCharCode(b)).join('');
}

export function binaryStringBytes(text: string): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code <= 0xff) {
            out.push(code);
            continue;
        }
        const point = text.codePointAt(i) ?? code;
        if (point > 0xffff)
            i++;
        if (point < 0x800)
            out.push(0xc0 | (point >> 6), 0x80 | (point & 0x3f));
        else if (point < 0x10000)
            out.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
        else
            out.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 0x3f), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
    }
    return Uint8Array.from(out);
}

// TextDecoder is not in every environment the page's code runs in (jest's jsdom lacks it);
// this follows its replacement rules closely enough for log text
export function decodeUtf8(bytes: Uint8Array): string {
    let out = '';
    let i = 0;
    while (i < bytes.length) {
        const b = bytes[i];
        let need = 0;
        let point = 0;
        let min = 0;
        if (b < 0x80) {
            out += String.fromCharCode(b);
            i++;
            continue;
        } else if (b >= 0xc2 && b <= 0xdf) {
            need = 1;
            point = b & 0x1f;
            min = 0x80;
        } else if (b >= 0xe0 && b <= 0xef) {
            need = 2;
            point = b & 0x0f;
            min = 0x800;
        } else if (b >= 0xf0 && b <= 0xf4) {
            need = 3;
            point = b & 0x07;
            min = 0x10000;
        } else {
            out += '\ufffd';
            i++;
            continue;
        }
        let j = 1;
        for (; j <= need; j++) {
            const next = bytes[i + j];
            if (next === undefined || (next & 0xc0) !== 0x80)
                break;
            point = (point << 6) | (next & 0x3f);
        }
        if (j <= need || point < min || point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) {
            // the lead byte and the continuation bytes that came with it are one bad sequence
            out += '\ufffd';
            i += j;
            continue;
        }
        out += String.fromCodePoint(point);
        i += need + 1;
    }
    return out;
}
