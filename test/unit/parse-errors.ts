// The ParseError a parser throws, for tests that check its tool, message or snippet.
import { ParseError } from '../../pkg/lib/parse-error';

export function parseErrorOf(fn: () => unknown): ParseError {
    try {
        fn();
    } catch (ex) {
        if (ex instanceof ParseError)
            return ex;
        throw ex;
    }
    throw new Error('expected a ParseError');
}
