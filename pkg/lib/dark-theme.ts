// Follow Cockpit's Light / Dark / Default style choice (kept by the shell in
// localStorage "shell:style") and the browser's colour scheme for "auto".
const DARK_CLASS = 'pf-v6-theme-dark';

export type ShellStyle = 'auto' | 'light' | 'dark';

function storedStyle(): ShellStyle {
    const value = window.localStorage.getItem('shell:style');
    return value === 'light' || value === 'dark' ? value : 'auto';
}

function prefersDark(): boolean {
    return typeof window.matchMedia === 'function' && window.matchMedia('(prefers-color-scheme: dark)').matches;
}

export function isDark(style: ShellStyle): boolean {
    return style === 'dark' || (style === 'auto' && prefersDark());
}

function apply(style: ShellStyle = storedStyle()): void {
    document.documentElement.classList.toggle(DARK_CLASS, isDark(style));
}

export function followShellStyle(): void {
    window.addEventListener('storage', event => {
        if (event.key === 'shell:style')
            apply();
    });
    // the shell announces changes made in this same browser tab this way
    window.addEventListener('cockpit-style', event => {
        const detail = (event as CustomEvent<{ style?: string }>).detail;
        const style = detail?.style;
        apply(style === 'light' || style === 'dark' ? style : 'auto');
    });
    if (typeof window.matchMedia === 'function')
        window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => apply());
    apply();
}
