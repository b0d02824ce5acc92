import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { parseContainerStats, splitJsonValues } from './libpod-stats-parser';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const once = read('libpod-container-stats-4.3.1.json');
const stream = read('libpod-container-stats-stream-4.3.1.jsonl');

const expectParseError = (text: string, message: RegExp) => {
    expect(() => parseContainerStats(text)).toThrow(ParseError);
    expect(() => parseContainerStats(text)).toThrow(message);
};

test('stream=false: one sample of aiws-test1', () => {
    expect(parseContainerStats(once)).toEqual([{
        id: '6da563e7c49f98676d254474fb60aba716602a4495c79133590b004dd2f3398f',
        name: 'aiws-test1',
        cpuPercent: 0.06708801892239005,
        memUsage: 278528,
        memLimit: 268435456,
        memPercent: 0.103759765625,
        netInput: 3677,
        netOutput: 5374,
        blockInput: 0,
        blockOutput: 0,
        pids: 1,
    }]);
});

test('stream=true: one report a line, the newest wins', () => {
    const lines = stream.trim().split('\n');
    expect(lines).toHaveLength(4);
    const stats = parseContainerStats(stream);
    expect(stats.map(s => s.name)).toEqual(['aiws-test1', 'aiws-rec-ours']);
    const last = JSON.parse(lines[3]) as { Stats: { NetInput: number, CPU: number }[] };
    expect(stats[0].netInput).toBe(last.Stats[0].NetInput);
    // after the first report CPU is the share over the interval: 0 for an idle server
    expect(stats[0].cpuPercent).toBe(last.Stats[0].CPU);
});

test('reports joined without newlines, and a last one cut short', () => {
    const lines = stream.trim().split('\n');
    expect(parseContainerStats(lines.join(''))).toEqual(parseContainerStats(lines[3]));
    expect(parseContainerStats(lines[0] + '\n' + lines[1].slice(0, 100))).toEqual(parseContainerStats(lines[0]));
});

test('a container that is not running: zeros', () => {
    expect(parseContainerStats(read('libpod-container-stats-exited-4.3.1.json'))).toEqual([expect.objectContaining({
        name: 'aiws-rec-exited', cpuPercent: 0, memUsage: 0, memLimit: 0, pids: 0,
    })]);
});

test('no such container: HTTP 200 with {"Error":{}} is a ParseError', () => {
    const text = read('libpod-container-stats-error-no-such-container-4.3.1.json');
    expect(text).toBe('{"Error":{},"Stats":null}\n');
    expectParseError(text, /podman could not read the stats/);
});

test('an error with a message says it', () => {
    expectParseError('{"Error":"container aiws-x is not running","Stats":null}', /container aiws-x is not running/);
    expectParseError('{"Error":{"message":"cgroup gone"},"Stats":null}', /cgroup gone/);
});

test('strings inside JSON do not confuse the splitter', () => {
    expect(splitJsonValues('{"a":"}{\\"["} {"b":[1,{}]}\n')).toEqual(['{"a":"}{\\"["}', '{"b":[1,{}]}']);
});

describe('damaged answers are ParseErrors', () => {
    test('empty, truncated, unbalanced, not JSON', () => {
        expectParseError('', /empty answer/);
        expectParseError(once.slice(0, 200), /truncated JSON/);
        expectParseError('{"Error":null}}', /unbalanced/);
        expectParseError('Error: no such container', /not a JSON object/);
        expectParseError('{"Error":null,"Stats":[1,]}', /not JSON/);
    });

    test('wrong shapes', () => {
        expectParseError('[]', /report is not an object/);
        expectParseError('{"Error":null,"Stats":{}}', /Stats is not a list/);
        expectParseError('{"Error":null,"Stats":[{"Name":"x"}]}', /ContainerID is not a string/);
        expectParseError('{"Error":null,"Stats":[{"ContainerID":"x","CPU":"1%"}]}', /CPU is not a number/);
    });
});
