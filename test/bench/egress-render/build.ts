// Builds the bench page of test/bench/egress-render/entry.tsx into the folder given:
// index.html, index.js, index.css. The package's own webpack config (webpack.config.ts) in
// production mode, so the same ts-loader, CSS loaders (PatternFly's base.css trimmed as the
// package ships it) and production React; not minified (it changes nothing the bench
// measures). `cockpit` is the unit tests' stand-in (test/unit/fake-cockpit.ts): the table
// only needs gettext, format and ngettext from it. Recorded fixtures are bundled as text.
// Run: node -r ts-node/register test/bench/egress-render/build.ts <out dir>
import fs from 'node:fs';
import path from 'node:path';
import webpack, { type Configuration, type RuleSetRule } from 'webpack';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import packageConfig from '../../../webpack.config';

const repoRoot = path.resolve(__dirname, '../../..');
const outDir = process.argv[2];
if (!outDir) {
    console.error('usage: build.ts <out dir>');
    process.exit(2);
}

const base = packageConfig(undefined, { mode: 'production' });
const config: Configuration = {
    ...base,
    entry: { index: path.join(__dirname, 'entry.tsx') },
    output: { path: path.resolve(outDir), filename: '[name].js', clean: true },
    externals: {},
    resolve: { ...base.resolve, alias: { cockpit: path.join(repoRoot, 'test/unit/fake-cockpit.ts') } },
    module: {
        ...base.module,
        rules: [
            ...(base.module?.rules ?? []) as RuleSetRule[],
            { test: /\.txt$/, include: path.join(repoRoot, 'test/fixtures'), type: 'asset/source' },
        ],
    },
    optimization: { ...base.optimization, minimize: false },
    // only the CSS file: no manifest, translations or gzip
    plugins: (base.plugins ?? []).filter(plugin => plugin instanceof MiniCssExtractPlugin),
};

webpack(config, (error, stats) => {
    if (error || !stats || stats.hasErrors()) {
        console.error(error ?? stats?.toString('errors-only'));
        process.exit(1);
    }
    // the page sits where Cockpit serves a package, so src/fonts.css finds ../../static/fonts
    fs.writeFileSync(path.join(outDir, 'index.html'), `<!DOCTYPE html>
<html lang="en">
<head>
    <title>Connections table bench</title>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <link href="index.css" rel="stylesheet">
    <script defer src="index.js"></script>
</head>
<body></body>
</html>
`);
    console.log(JSON.stringify({ assets: Object.keys(stats.compilation.assets).sort(), ms: (stats.endTime ?? 0) - (stats.startTime ?? 0) }));
});
