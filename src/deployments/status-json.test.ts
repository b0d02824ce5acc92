import { Fields, parseJsonDocument } from './status-json';
import { parseErrorOf } from '../../test/unit/parse-errors';


afterEach(() => jest.restoreAllMocks());

test('a browser without V8 messages: Firefox says where, and that the data ended', () => {
    // the page runs in the admin's browser, whose JSON.parse words errors its own way
    const text = '{\n  "deployments" : [\n    {';
    jest.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new SyntaxError('JSON.parse: unexpected end of data at line 3 column 6 of the JSON data');
    });
    expect(parseErrorOf(() => parseJsonDocument('rpm-ostree', text)).message).toMatch(/truncated/);

    jest.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new SyntaxError('JSON.parse: unexpected character at line 2 column 3 of the JSON data');
    });
    const error = parseErrorOf(() => parseJsonDocument('rpm-ostree', '{\n  x: 1,\n  "y": 2\n}'));
    expect(error.message).toMatch(/not valid JSON: JSON\.parse: unexpected character/);
    expect(error.snippet).toContain('x: 1');
});

test('Safari: Unexpected EOF', () => {
    jest.spyOn(JSON, 'parse').mockImplementation(() => {
        throw new SyntaxError('JSON Parse error: Unexpected EOF');
    });
    expect(parseErrorOf(() => parseJsonDocument('bootc', '{"a":')).message).toMatch(/truncated/);
});

test('field reads name the path and keep the bad value as the snippet', () => {
    const fields = Fields.of('rpm-ostree', 'status', { n: 1.5, s: '', list: [1], o: [] });
    expect(parseErrorOf(() => fields.integer('n'))).toMatchObject({ message: 'status.n is a number, expected an integer', snippet: '1.5' });
    expect(parseErrorOf(() => fields.string('s')).message).toBe('status.s is a string, expected a non-empty string');
    expect(parseErrorOf(() => fields.strings('list')).message).toBe('status.list[0] is a number, expected a string');
    expect(parseErrorOf(() => fields.optObject('o')).message).toBe('status.o is an array, expected an object');
    expect(fields.optString('missing')).toBeNull();
    expect(fields.strings('missing')).toEqual([]);
    expect(fields.boolean('missing', true)).toBe(true);
});
