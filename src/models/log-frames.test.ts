import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { LogFrameDecoder, MAX_LINE_BYTES, decodeUtf8, type LogLine } from './log-frames';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const read = (name: string) => new Uint8Array(fs.readFileSync(path.join(fixtures, name)));
const recorded = read('libpod-container-logs-4.3.1.bin');
const tty = read('libpod-container-logs-tty-4.3.1.bin');
const mixed = read('libpod-container-logs-mixed-4.3.1.bin');

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const latin1 = (bytes: Uint8Array) => Array.from(bytes, b => String.fromCharCode(b)).join('');

const decodeAll = (chunks: (Uint8Array | string)[]): LogLine[] => {
    const decoder = new LogFrameDecoder();
    return [...chunks.flatMap(chunk => decoder.push(chunk)), ...decoder.flush()];
};

const frame = (stream: number, payload: string): Uint8Array => {
    const body = utf8(payload);
    const out = new Uint8Array(8 + body.length);
    out[0] = stream;
    new DataView(out.buffer).setUint32(4, body.length, false);
    out.set(body, 8);
    return out;
};

const join = (...parts: Uint8Array[]): Uint8Array => {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
        out.set(p, at);
        at += p.length;
    }
    return out;
};

const recordedLines: LogLine[] = [
    { stream: 'stdout', text: "main: loading model '/models/tiny.gguf'" },
    { stream: 'stdout', text: 'main: server is listening on http://0.0.0.0:8080' },
    { stream: 'stderr', text: 'srv  log_server_request: request: GET /health 200' },
    { stream: 'stderr', text: 'srv  log_server_request: request: POST /v1/chat/completions 200' },
    { stream: 'stderr', text: 'srv  log_server_request: request: GET /health 200' },
];

describe('the recorded log of aiws-test1 (podman 4.3.1)', () => {
    test('in one chunk', () => {
        expect(decodeAll([recorded])).toEqual(recordedLines);
    });

    test('lines come out as soon as they end, nothing is left for flush', () => {
        const decoder = new LogFrameDecoder();
        expect(decoder.push(recorded)).toEqual(recordedLines);
        expect(decoder.flush()).toEqual([]);
    });

    test.each(['bytes', 'binary string'])('split in two at every byte offset (%s)', form => {
        for (let cut = 0; cut <= recorded.length; cut++) {
            const parts = [recorded.slice(0, cut), recorded.slice(cut)];
            const chunks = form === 'bytes' ? parts : parts.map(latin1);
            expect({ cut, lines: decodeAll(chunks) }).toEqual({ cut, lines: recordedLines });
        }
    });

    test('one byte a chunk', () => {
        expect(decodeAll(Array.from(recorded, b => Uint8Array.of(b)))).toEqual(recordedLines);
    });

    test('a chunk the caller reuses afterwards does not change held bytes', () => {
        const decoder = new LogFrameDecoder();
        const buffer = recorded.slice(0, 20);
        const first = decoder.push(buffer);
        buffer.fill(0x41);
        expect([...first, ...decoder.push(recorded.slice(20)), ...decoder.flush()]).toEqual(recordedLines);
    });
});

test('a tty container: framed as stdout by podman 4.3.1, \\r\\n ends, UTF-8 kept', () => {
    const expected = [
        { stream: 'stdout', text: 'tty line 1' },
        { stream: 'stdout', text: 'tty stderr' },
        { stream: 'stdout', text: 'café ✓' },
    ];
    expect(decodeAll([tty])).toEqual(expected);
    for (let cut = 0; cut <= tty.length; cut++)
        expect(decodeAll([tty.slice(0, cut), tty.slice(cut)])).toEqual(expected);
});

test('stdout and stderr apart; a last line without newline waits for flush', () => {
    const expected = [
        { stream: 'stdout', text: 'out 1' },
        { stream: 'stdout', text: 'café ✓' },
        { stream: 'stderr', text: 'err 1' },
        { stream: 'stdout', text: 'partial without newline' },
    ];
    const decoder = new LogFrameDecoder();
    // podman wrote the stderr frame last, after the unterminated stdout one
    expect(decoder.push(mixed)).toEqual([expected[0], expected[1], expected[2]]);
    expect(decoder.flush()).toEqual([expected[3]]);
    for (let cut = 0; cut <= mixed.length; cut++)
        expect(decodeAll([mixed.slice(0, cut), mixed.slice(cut)])).toEqual(expected);
});

test('a line spread over frames, and an empty frame', () => {
    expect(decodeAll([join(frame(1, 'hel'), frame(1, ''), frame(2, 'oops\n'), frame(1, 'lo\n'))])).toEqual([
        { stream: 'stderr', text: 'oops' },
        { stream: 'stdout', text: 'hello' },
    ]);
});

test('a multi-byte character cut between frames and chunks', () => {
    const bytes = utf8('→ ok\n');
    const a = new Uint8Array(9);
    a[0] = 1;
    a[7] = 1;
    a[8] = bytes[0];
    const b = new Uint8Array(8 + bytes.length - 1);
    b[0] = 1;
    b[7] = bytes.length - 1;
    b.set(bytes.subarray(1), 8);
    expect(decodeAll([a, b.slice(0, 9), b.slice(9)])).toEqual([{ stream: 'stdout', text: '→ ok' }]);
});

describe('plain text (a tty log from Docker or another podman)', () => {
    const text = 'llama server ready\r\nsecond line\nlast';
    const expected = [
        { stream: 'stdout', text: 'llama server ready' },
        { stream: 'stdout', text: 'second line' },
        { stream: 'stdout', text: 'last' },
    ];

    test('at every split', () => {
        for (let cut = 0; cut <= text.length; cut++)
            expect(decodeAll([text.slice(0, cut), text.slice(cut)])).toEqual(expected);
    });

    test('starting with a byte that could begin a header', () => {
        expect(decodeAll(['\u0001\u0000x\n'])).toEqual([{ stream: 'stdout', text: '\u0001\u0000x' }]);
    });

    test('shorter than a header', () => {
        expect(decodeAll(['\u0002'])).toEqual([{ stream: 'stdout', text: '\u0002' }]);
    });

    test('a binary string carries UTF-8 as bytes', () => {
        expect(decodeAll([latin1(utf8('café ✓\n'))])).toEqual([{ stream: 'stdout', text: 'café ✓' }]);
    });

    test('chars above 0xff (text already decoded) are encoded back; chars up to 0xff stay bytes', () => {
        expect(decodeAll(['ok ✓ 😀\n'])).toEqual([{ stream: 'stdout', text: 'ok ✓ 😀' }]);
        // why bytes are preferred: a decoded é is one byte 0xe9 here, not UTF-8
        expect(decodeAll(['café\n'])).toEqual([{ stream: 'stdout', text: 'caf\ufffd' }]);
    });
});

test('a header damaged after framed data is a ParseError', () => {
    const decoder = new LogFrameDecoder();
    decoder.push(frame(1, 'fine\n'));
    expect(() => decoder.push(Uint8Array.of(7, 0, 0, 0, 0, 0, 0, 1))).toThrow(ParseError);
    expect(() => new LogFrameDecoder().push(join(frame(1, 'a\n'), Uint8Array.of(1, 9)))).toThrow(/frame header is damaged/);
});

test('a frame cut short by the end of the stream: what came of it', () => {
    expect(decodeAll([frame(2, 'cut off here\n').slice(0, 14)])).toEqual([{ stream: 'stderr', text: 'cut of' }]);
});

test('a line that never ends is cut at the limit, on a character boundary', () => {
    const long = '€'.repeat(MAX_LINE_BYTES / 3 + 10);
    const lines = decodeAll([frame(1, long)]);
    expect(lines.map(l => l.text).join('')).toBe(long);
    expect(lines.length).toBe(2);
    expect(lines.every(l => !l.text.includes('\ufffd'))).toBe(true);
});

test('bad UTF-8 becomes U+FFFD', () => {
    expect(decodeUtf8(Uint8Array.of(0x61, 0xff, 0x62, 0xc3, 0x63, 0xe2, 0x82, 0xac, 0xed, 0xa0, 0x80, 0xf0, 0x9f, 0x98, 0x80)))
        .toBe('a\ufffdb\ufffdc€\ufffd😀');
    expect(decodeUtf8(Uint8Array.of(0xe2, 0x82))).toBe('\ufffd');
});
