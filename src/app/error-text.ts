// Readable text for anything a host call or a parser can fail with: what happened
// and what the admin can do next.
import { HostError } from '../../pkg/lib/host-error';
import { ParseError } from '../../pkg/lib/parse-error';
import { _, format } from '../../pkg/lib/gettext';

export interface ErrorText {
    /** What happened, in one line. */
    summary: string;
    /** What the host said, verbatim, when it said something. */
    detail: string;
    /** What to do next. */
    hint: string;
}

/** An error of an area that knows best how to say what happened (podman's, a create step's). */
export interface SelfDescribing {
    describe(): ErrorText;
}

function isSelfDescribing(error: unknown): error is SelfDescribing {
    return typeof error === 'object' && error !== null && typeof (error as Partial<SelfDescribing>).describe === 'function';
}

export function describeError(error: unknown): ErrorText {
    if (isSelfDescribing(error))
        return error.describe();
    if (error instanceof ParseError) {
        return {
            summary: format(_("$0 answered in a form this page does not understand: $1"), error.tool, error.message),
            detail: error.snippet,
            hint: _("Check that the tool works when run in a terminal on the host; if it does, please report its output."),
        };
    }
    if (error instanceof HostError) {
        switch (error.kind) {
        case 'not-found':
            return {
                summary: format(_("Not found on the host: $0"), error.subject),
                detail: error.message,
                hint: _("Install the missing program, or check that it is on the PATH of Cockpit's session."),
            };
        case 'access-denied':
            return {
                summary: format(_("The host refused access: $0"), error.subject),
                detail: error.message,
                hint: _("Turn on administrative access in Cockpit's top bar, then try again."),
            };
        case 'exit':
            return {
                summary: error.exitStatus === null
                    ? format(_("$0 failed"), error.subject)
                    : format(_("$0 failed with exit status $1"), error.subject, error.exitStatus),
                detail: error.detail,
                hint: _("The message above is the tool's own; it usually says what to fix."),
            };
        case 'terminated':
            return {
                summary: format(_("$0 was stopped before it finished"), error.subject),
                detail: error.message,
                hint: _("Try again; if it keeps stopping, look at the host's journal."),
            };
        case 'timeout':
            return {
                summary: format(_("$0 did not answer in time and was stopped"), error.subject),
                detail: error.message,
                hint: _("The tool may hang in the kernel driver; check the host's journal (journalctl -k) for driver errors."),
            };
        case 'disconnected':
            return {
                summary: _("The connection to the host was lost"),
                detail: error.message,
                hint: _("Reload the page to reconnect."),
            };
        case 'http':
            return {
                summary: format(_("$0 answered with HTTP status $1"), error.subject, error.httpStatus ?? 0),
                detail: error.detail,
                hint: _("Check the service's log on the host."),
            };
        case 'internal':
            return {
                summary: format(_("Cockpit could not run $0"), error.subject),
                detail: error.message,
                hint: _("Reload the page; if it happens again, look at the browser console and the host's journal."),
            };
        }
    }
    return {
        summary: _("Something unexpected went wrong"),
        detail: error instanceof Error ? error.message : String(error),
        hint: _("Reload the page; if it happens again, look at the browser console."),
    };
}
