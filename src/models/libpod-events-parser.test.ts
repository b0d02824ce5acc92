import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { parseEventLine, type ContainerEvent } from './libpod-events-parser';
import { LineSplitter } from '../../pkg/lib/line-splitter';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const recorded = fs.readFileSync(path.join(fixtures, 'libpod-events-4.3.1.jsonl'), 'utf8');
const recordedLines = recorded.split('\n').filter(line => line !== '');

const parseAll = (lines: string[]): ContainerEvent[] =>
    lines.map(parseEventLine).filter((e): e is ContainerEvent => e !== null);

describe('events recorded while aiws-rec-events was created, checked, paused, restarted, stopped and removed', () => {
    const events = parseAll(recordedLines);

    test('every status, in order', () => {
        expect(events.map(e => e.status)).toEqual([
            'create', 'init', 'start', 'health_status', 'exec_died', 'pause', 'unpause', 'restart', 'stop', 'died',
            'init', 'start', 'stop', 'died', 'cleanup', 'cleanup', 'remove',
        ]);
        expect(new Set(events.map(e => e.name))).toEqual(new Set(['aiws-rec-events']));
        expect(new Set(events.map(e => e.id))).toEqual(new Set(['18d2977534350089d965aceea177b42f8db1afc48369f74733f4c7009c3a6655']));
    });

    test('the first: labels without podman\'s own attributes, time in ms from timeNano', () => {
        expect(events[0]).toEqual({
            id: '18d2977534350089d965aceea177b42f8db1afc48369f74733f4c7009c3a6655',
            name: 'aiws-rec-events',
            status: 'create',
            time: 1796198647348,
            labels: {
                'ai-workstation.catalog': 'llama-cpp',
                'ai-workstation.managed': 'true',
                'org.opencontainers.image.title': 'aiws-echo-server',
            },
        });
    });

    test('health_status carries the health; podman 4.3.1 sent the one before the check', () => {
        const health = events.find(e => e.status === 'health_status');
        expect(health?.healthStatus).toBe('starting');
        expect(events.filter(e => e.healthStatus !== undefined)).toHaveLength(1);
    });

    test('died carries the exit code (SIGKILL after stop -t 1)', () => {
        expect(events.filter(e => e.status === 'died').map(e => e.exitCode)).toEqual([137, 137]);
        expect(events.filter(e => e.exitCode !== undefined)).toHaveLength(2);
    });

    test('times never go back', () => {
        const times = events.map(e => e.time);
        expect([...times].sort((a, b) => a - b)).toEqual(times);
    });
});

test('the splitter gives the recorded lines whatever the chunks', () => {
    for (let cut = 0; cut <= recorded.length; cut += 7) {
        const splitter = new LineSplitter({ skipBlank: true });
        const lines = [...splitter.push(recorded.slice(0, cut)), ...splitter.push(recorded.slice(cut)), ...splitter.flush()];
        expect(lines).toEqual(recordedLines);
    }
    const splitter = new LineSplitter({ skipBlank: true });
    const lines = [...recorded].flatMap(ch => splitter.push(ch));
    expect([...lines, ...splitter.flush()]).toEqual(recordedLines);
});

test('the splitter: blank lines and \\r go, an unterminated last line comes with flush', () => {
    const splitter = new LineSplitter({ skipBlank: true });
    expect(splitter.push('\n{"a":1}\r\n\r\n  \n{"b"')).toEqual(['{"a":1}']);
    expect(splitter.push(':2}')).toEqual([]);
    expect(splitter.flush()).toEqual(['{"b":2}']);
    expect(splitter.flush()).toEqual([]);
});

describe('lines that are not container events', () => {
    test('blank', () => {
        expect(parseEventLine('')).toBeNull();
        expect(parseEventLine('  \r')).toBeNull();
    });

    test('another type', () => {
        expect(parseEventLine('{"status":"pull","id":"x","Type":"image","Action":"pull","time":1}')).toBeNull();
        expect(parseEventLine('{"Type":"network","Action":"connect"}')).toBeNull();
    });
});

describe('shapes the recording lacks', () => {
    const base = JSON.parse(recordedLines[0]) as Record<string, unknown>;
    const line = (change: Record<string, unknown>) => JSON.stringify({ ...base, ...change });

    test('unknown statuses are other; Docker\'s die is died', () => {
        expect(parseEventLine(line({ status: 'checkpoint', Action: 'checkpoint' }))?.status).toBe('other');
        expect(parseEventLine(line({ status: 'die', Action: 'die' }))?.status).toBe('died');
        expect(parseEventLine(line({ status: undefined, Action: 'kill' }))?.status).toBe('kill');
    });

    test('no timeNano: seconds', () => {
        expect(parseEventLine(line({ timeNano: undefined, time: 1796198647 }))?.time).toBe(1796198647000);
    });

    test('the id from the actor', () => {
        expect(parseEventLine(line({ id: undefined }))?.id).toBe('18d2977534350089d965aceea177b42f8db1afc48369f74733f4c7009c3a6655');
    });

    test('health words', () => {
        expect(parseEventLine(line({ status: 'health_status', HealthStatus: 'unhealthy' }))?.healthStatus).toBe('unhealthy');
        expect(parseEventLine(line({ status: 'health_status', HealthStatus: undefined }))?.healthStatus).toBe('none');
    });
});

describe('damaged lines are ParseErrors', () => {
    test('truncated', () => {
        expect(() => parseEventLine(recordedLines[0].slice(0, 80))).toThrow(ParseError);
        expect(() => parseEventLine(recordedLines[0].slice(0, 80))).toThrow(/event is not JSON/);
    });

    test('wrong shapes', () => {
        expect(() => parseEventLine('[1]')).toThrow(/event is not an object/);
        expect(() => parseEventLine('{"Type":"container","Action":"start"}')).toThrow(/without an id/);
        expect(() => parseEventLine('{"Type":"container","id":"x","Actor":{"Attributes":{"name":5}}}')).toThrow(/Actor\.Attributes\.name is not a string/);
        expect(() => parseEventLine('{"Type":"container","id":"x","timeNano":"1"}')).toThrow(/timeNano is not a number/);
        expect(() => parseEventLine('{"Type":"container","id":"x","Actor":[]}')).toThrow(/Actor is not an object/);
    });
});
