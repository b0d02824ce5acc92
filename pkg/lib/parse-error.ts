// The only thing a parser throws (DESIGN decision 2): which tool said it, what was
// wrong, and a snippet of the text, so the view can show a readable alert.

export class ParseError extends Error {
    readonly tool: string;
    readonly snippet: string;

    constructor(tool: string, message: string, text = '') {
        super(message);
        this.name = 'ParseError';
        this.tool = tool;
        this.snippet = snippetOf(text);
    }
}

const SNIPPET_LENGTH = 200;

export function snippetOf(text: string): string {
    const trimmed = text.trim();
    return trimmed.length > SNIPPET_LENGTH ? trimmed.slice(0, SNIPPET_LENGTH) + '…' : trimmed;
}
