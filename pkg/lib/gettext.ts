// Translation helpers. Every user-visible string goes through one of these so that
// `make pot` can extract it and the build's po.<lang>.js can translate it.
import cockpit from 'cockpit';

/** Translate a message. */
export function _(message: string): string {
    return cockpit.gettext(message);
}

/** Translate a message that needs a context to be unambiguous. */
export function C_(context: string, message: string): string {
    return cockpit.gettext(context, message);
}

/** Mark a message for extraction without translating it yet (for tables built at load time). */
export function N_(message: string): string {
    return message;
}

/** Translate a message with a count: picks the plural form the language needs. */
export function ngettext(singular: string, plural: string, count: number): string {
    return cockpit.ngettext(singular, plural, count);
}

/** Fill $0, $1 or $name placeholders of an already translated template. */
export function format(template: string, ...args: (string | number)[]): string {
    return cockpit.format(template, ...args);
}

/**
 * Translate text that comes from a data file the package ships (its model catalog), which
 * `make pot` extracts from that file rather than from a call; text from elsewhere (a
 * site's own catalog) has no translation and comes back as it is.
 */
export function translateShipped(message: string): string {
    return cockpit.gettext(message);
}
