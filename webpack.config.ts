import path from 'path';
import fs from 'fs';
import type { Configuration, Compiler } from 'webpack';
import webpack from 'webpack';
import MiniCssExtractPlugin from 'mini-css-extract-plugin';
import CssMinimizerPlugin from 'css-minimizer-webpack-plugin';
import CompressionPlugin from 'compression-webpack-plugin';
import { CockpitPoPlugin } from './build/po-plugin';

const srcdir = path.resolve(__dirname, 'src');
const outdir = path.resolve(__dirname, 'dist');

/** Emits files that need no processing (the page's HTML and the package manifest). */
class StaticFilesPlugin {
    constructor(private readonly files: Record<string, string>) {}

    apply(compiler: Compiler) {
        compiler.hooks.thisCompilation.tap('StaticFilesPlugin', compilation => {
            compilation.hooks.processAssets.tap(
                { name: 'StaticFilesPlugin', stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
                () => {
                    for (const [name, source] of Object.entries(this.files)) {
                        compilation.fileDependencies.add(source);
                        compilation.emitAsset(name, new webpack.sources.RawSource(fs.readFileSync(source)));
                    }
                });
        });
    }
}

export default (_env: unknown, argv: { mode?: string }): Configuration => {
    const production = argv.mode !== 'development';

    return {
        mode: production ? 'production' : 'development',
        entry: { index: path.join(srcdir, 'index.tsx') },
        output: { path: outdir, filename: '[name].js', clean: true },
        // the host's own cockpit.js, loaded by index.html from ../base1/cockpit.js
        externals: { cockpit: 'cockpit' },
        devtool: production ? false : 'source-map',
        resolve: { extensions: ['.tsx', '.ts', '.js', '.mjs'] },
        stats: 'errors-warnings',
        performance: { hints: false },
        module: {
            rules: [
                {
                    test: /\.tsx?$/,
                    exclude: /node_modules/,
                    // types are checked by `make typecheck`; the build only transpiles
                    use: { loader: 'ts-loader', options: { transpileOnly: true } },
                },
                {
                    test: /\.css$/,
                    use: [
                        MiniCssExtractPlugin.loader,
                        { loader: 'css-loader', options: { url: false, import: true } },
                        path.resolve(__dirname, 'build/trim-patternfly-base-loader.ts'),
                    ],
                },
                { test: /\.sh$/, type: 'asset/source' },
            ],
        },
        optimization: {
            minimize: production,
            minimizer: ['...', new CssMinimizerPlugin()],
        },
        plugins: [
            new MiniCssExtractPlugin({ filename: '[name].css' }),
            new StaticFilesPlugin({
                'index.html': path.join(srcdir, 'index.html'),
                'manifest.json': path.resolve(__dirname, 'manifest.json'),
            }),
            new CockpitPoPlugin({ poDir: path.resolve(__dirname, 'po'), manifest: path.resolve(__dirname, 'manifest.json') }),
            ...(production
                ? [new CompressionPlugin({ test: /\.(js|css)$/, deleteOriginalAssets: true })]
                : []),
        ],
    };
};
