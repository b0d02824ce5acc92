// PatternFly's base.css declares its own variable fonts, an icon font and background
// images. Cockpit already serves the Red Hat fonts under /cockpit/static/fonts, so the
// package ships none of them (src/fonts.css points there) and stays small. This loader
// drops the @font-face blocks and background-image urls before css-loader resolves them.

export function stripFontFaces(css: string): string {
    return css
            .replace(/@font-face\s*\{[^}]*\}\s*/g, '')
            .replace(/url\("\.\/assets\/images\/[^"]+"\)/g, 'none');
}

export default function loader(source: string): string {
    return stripFontFaces(source);
}
