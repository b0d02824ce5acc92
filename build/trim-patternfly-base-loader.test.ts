/** @jest-environment node */
import fs from 'fs';
import path from 'path';
import loader, { isPatternflyCss, trimPatternflyBase } from './trim-patternfly-base-loader';

const base = fs.readFileSync(path.resolve(__dirname, '../node_modules/@patternfly/react-core/dist/styles/base.css'), 'utf8');

test('PatternFly base.css keeps its tokens and dark theme but loses fonts, icon glyphs and unused themes', () => {
    const css = trimPatternflyBase(base);
    expect(css).not.toMatch(/@font-face/);
    expect(css).not.toMatch(/assets\/(fonts|images|pficon)/);
    expect(css).not.toMatch(/pf-v6-pficon-[\w-]+:before/);
    expect(css).not.toMatch(/pf-v6-theme-(felt|high-contrast|glass)/);
    expect(css).toMatch(/:root:where\(\.pf-v6-theme-dark\)\s*\{/);
    expect(css).toMatch(/--pf-t--global--font--family--body:/);
    expect(css.length).toBeLessThan(base.length * 0.75);
    // still balanced: every block that was opened is closed
    expect((css.match(/\{/g) ?? []).length).toBe((css.match(/\}/g) ?? []).length);
});

test('rules that mix icon glyphs with other selectors stay', () => {
    const css = '.a, .pf-v6-pficon-x:before { color: red; }\n.pf-v6-pficon-y:before { content: "y"; }\n';
    expect(trimPatternflyBase(css)).toContain('.a, .pf-v6-pficon-x:before');
    expect(trimPatternflyBase(css)).not.toContain('content: "y"');
});

test('the loader trims PatternFly\'s CSS only: the package\'s own fonts.css keeps its @font-face rules', () => {
    const fonts = fs.readFileSync(path.resolve(__dirname, '../src/fonts.css'), 'utf8');
    const own = loader.call({ resourcePath: path.resolve(__dirname, '../src/fonts.css') }, fonts);
    expect(own).toBe(fonts);
    expect(own).toMatch(/@font-face/);
    const patternfly = loader.call({ resourcePath: path.resolve(__dirname, '../node_modules/@patternfly/react-core/dist/styles/base.css') }, base);
    expect(patternfly).not.toMatch(/@font-face/);
    expect(isPatternflyCss('C:\\src\\node_modules\\@patternfly\\patternfly\\x.css')).toBe(true);
});
