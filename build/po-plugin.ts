// webpack 5 plugin: po/<lang>.po → po.<lang>.js (all translations: the page loads it as "po.js",
// and Cockpit 287's shell concatenates every package's po.js via "../*/po.js" to translate the
// menu labels and search keywords of manifest.json) and po.manifest.<lang>.js (only the manifest
// strings: what newer Cockpit shells load instead). Both are webpack assets, so a compression
// plugin later in processAssets precompresses them like the rest of the bundle.
//
//   new CockpitPoPlugin({ poDir: path.resolve(__dirname, 'po'), manifest: path.resolve(__dirname, 'manifest.json') })

import fs from 'node:fs';
import path from 'node:path';

import type { Compilation, Compiler } from 'webpack';

import { listPoFiles } from './po-dir';
import { manifestStrings } from './manifest-messages';
import { parsePo } from './po-file';
import { catalogToLocaleJs } from './po-to-js';

export interface CockpitPoPluginOptions {
    /** Directory with <lang>.po files (relative paths are taken from webpack's context). */
    poDir: string;
    /** manifest.json whose labels and keywords also go into po.manifest.<lang>.js. */
    manifest?: string;
}

const PLUGIN_NAME = 'CockpitPoPlugin';

export class CockpitPoPlugin {
    private readonly options: CockpitPoPluginOptions;

    constructor(options: CockpitPoPluginOptions) {
        this.options = options;
    }

    apply(compiler: Compiler): void {
        const { webpack } = compiler;
        const poDir = path.resolve(compiler.context, this.options.poDir);
        const manifest = this.options.manifest === undefined ? undefined : path.resolve(compiler.context, this.options.manifest);

        compiler.hooks.thisCompilation.tap(PLUGIN_NAME, compilation => {
            compilation.hooks.processAssets.tap(
                { name: PLUGIN_NAME, stage: webpack.Compilation.PROCESS_ASSETS_STAGE_ADDITIONAL },
                () => this.emit(compilation, compiler, poDir, manifest),
            );
        });
    }

    private emit(compilation: Compilation, compiler: Compiler, poDir: string, manifest: string | undefined): void {
        const { webpack } = compiler;
        const fail = (file: string, ex: unknown) => {
            const error = new webpack.WebpackError(
                `${PLUGIN_NAME}: ${path.relative(compiler.context, file)}: ${ex instanceof Error ? ex.message : String(ex)}`);
            error.file = file;
            compilation.errors.push(error);
        };

        // Watch mode: new/removed po files (directory) and edits (files) trigger a rebuild.
        if (fs.existsSync(poDir))
            compilation.contextDependencies.add(poDir);
        else
            compilation.missingDependencies.add(poDir);

        let manifestIds: Set<string> | null = null;
        if (manifest !== undefined) {
            compilation.fileDependencies.add(manifest);
            try {
                manifestIds = new Set(manifestStrings(JSON.parse(fs.readFileSync(manifest, 'utf8'))));
            } catch (ex) {
                fail(manifest, ex);
            }
        }

        for (const file of listPoFiles(poDir)) {
            compilation.fileDependencies.add(file);
            const language = path.basename(file, '.po');
            try {
                const catalog = parsePo(fs.readFileSync(file, 'utf8'));
                compilation.emitAsset(`po.${language}.js`, new webpack.sources.RawSource(catalogToLocaleJs(catalog, { language })));
                if (manifestIds) {
                    const ids = manifestIds;
                    const js = catalogToLocaleJs(catalog, { language, include: e => e.msgctxt === undefined && ids.has(e.msgid) });
                    compilation.emitAsset(`po.manifest.${language}.js`, new webpack.sources.RawSource(js));
                }
            } catch (ex) {
                fail(file, ex);
            }
        }
    }
}
