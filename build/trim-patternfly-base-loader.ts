// PatternFly's base.css declares its own variable fonts, an icon font with a class per
// glyph, background images, and token sets for themes Cockpit never turns on (felt,
// high contrast, glass). Cockpit already serves the Red Hat fonts under
// /cockpit/static/fonts (src/fonts.css points there) and the page draws icons as SVG,
// so the package ships none of that: smaller to download, less CSS for the browser
// to parse on every page load.

const UNUSED_THEME = /:root:where\([^)]*\b(?:pf-v6-theme-felt|pf-v6-theme-high-contrast|pf-v6-theme-glass)\b[^)]*\)\s*\{[^}]*\}\s*/g;
const ICON_FONT_RULE = /(?:^|\n)(?:\.pf-v6-pficon-[\w-]+:before\s*,\s*)*\.pf-v6-pficon-[\w-]+:before\s*\{[^}]*\}/g;

export function trimPatternflyBase(css: string): string {
    return css
            .replace(/@font-face\s*\{[^}]*\}\s*/g, '')
            .replace(/url\("\.\/assets\/images\/[^"]+"\)/g, 'none')
            .replace(UNUSED_THEME, '')
            .replace(ICON_FONT_RULE, '\n');
}

/** PatternFly's own CSS only: the package's src/fonts.css declares the fonts Cockpit serves. */
export function isPatternflyCss(resourcePath: string): boolean {
    return /[\\/]node_modules[\\/]@patternfly[\\/]/.test(resourcePath);
}

export default function loader(this: { resourcePath: string }, source: string): string {
    return isPatternflyCss(this.resourcePath) ? trimPatternflyBase(source) : source;
}
