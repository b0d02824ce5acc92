import fs from 'fs';
import path from 'path';
import { ParseError } from '../../pkg/lib/parse-error';
import { FieldReader, parseJson, parseLibpodError } from './libpod-error';

const fixtures = path.join(__dirname, '../../test/fixtures/podman');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');

describe('recorded error answers (podman 4.3.1)', () => {
    test('GET of a missing container: 404', () => {
        expect(parseLibpodError(404, read('libpod-error-no-such-container-4.3.1.json'))).toEqual({
            status: 404,
            cause: 'no such container',
            message: 'no container with name or ID "aiws-rec-missing" found: no such container',
        });
    });

    test('create with an image that is not here: 500, not 404', () => {
        expect(parseLibpodError(500, read('libpod-error-create-image-not-known-4.3.1.json'))).toEqual({
            status: 500,
            cause: 'image not known',
            message: 'localhost/nope:1: image not known',
        });
    });

    test('start with a host port already taken: 500', () => {
        expect(parseLibpodError(500, read('libpod-error-start-port-in-use-4.3.1.json'))).toEqual({
            status: 500,
            cause: 'address already in use',
            message: 'cannot listen on the TCP port: listen tcp4 127.0.0.1:18080: bind: address already in use',
        });
    });
});

describe('other bodies never throw', () => {
    test('plain text, trimmed', () => {
        expect(parseLibpodError(502, '  Bad Gateway\n')).toEqual({ status: 502, cause: '', message: 'Bad Gateway' });
    });

    test('empty (304 from start of a running container)', () => {
        expect(parseLibpodError(304, '')).toEqual({ status: 304, cause: '', message: '' });
    });

    test('Docker-compatible {"message"} only, cause only, JSON that is not an object', () => {
        expect(parseLibpodError(404, '{"message":"No such container: x"}')).toEqual({ status: 404, cause: '', message: 'No such container: x' });
        expect(parseLibpodError(500, '{"cause":"oops","message":""}')).toEqual({ status: 500, cause: 'oops', message: 'oops' });
        expect(parseLibpodError(500, '["x"]')).toEqual({ status: 500, cause: '', message: '["x"]' });
        expect(parseLibpodError(500, '{"cause":1,"message":2}')).toEqual({ status: 500, cause: '', message: '{"cause":1,"message":2}' });
    });
});

test('the shared readers fail with ParseErrors of the podman API', () => {
    expect(() => parseJson('{', 'thing')).toThrow(ParseError);
    const r = new FieldReader('thing', '{"x":1}');
    expect(r.number(null, 'n', 4)).toBe(4);
    expect(r.strings(null, 's')).toEqual([]);
    expect(r.stringMap(null, 'm')).toEqual({});
    try {
        r.string(1, 'x');
    } catch (e) {
        expect(e).toBeInstanceOf(ParseError);
        expect((e as ParseError).tool).toBe('podman API');
        expect((e as ParseError).message).toBe('thing: x is not a string');
        expect((e as ParseError).snippet).toBe('{"x":1}');
    }
    expect(() => r.number(Infinity, 'n')).toThrow(/n is not a number/);
    expect(() => r.boolean('true', 'b')).toThrow(/b is not a boolean/);
    expect.assertions(10);
});
