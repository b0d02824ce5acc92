// Chunks of a stream (a process's output, an HTTP body) into whole lines: a line cut
// between chunks waits for its end; "\r\n" ends a line like "\n". Pure.

export interface LineSplitterOptions {
    /** Drop lines that are empty or only blanks (event streams send them as keep-alives). */
    skipBlank?: boolean;
}

export class LineSplitter {
    private pending = '';

    constructor(private readonly options: LineSplitterOptions = {}) {}

    push(chunk: string): string[] {
        const parts = (this.pending + chunk).split('\n');
        this.pending = parts.pop() ?? '';
        return this.keep(parts.map(stripCr));
    }

    /** The stream ended: the unterminated last line, if any. */
    flush(): string[] {
        const rest = stripCr(this.pending);
        this.pending = '';
        return this.keep(rest === '' ? [] : [rest]);
    }

    private keep(lines: string[]): string[] {
        return this.options.skipBlank ? lines.filter(line => line.trim() !== '') : lines;
    }
}

function stripCr(line: string): string {
    return line.endsWith('\r') ? line.slice(0, -1) : line;
}
