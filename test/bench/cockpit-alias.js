// For benches that load the page's pure modules in Node: `cockpit` (the host's cockpit.js,
// which gettext imports) resolves to the unit tests' scripted stand-in, and a relative
// import prefers the .ts file (Node would take endpoints.json for './endpoints', webpack
// and jest resolve it to endpoints.ts).
/* eslint-disable @typescript-eslint/no-require-imports -- node -r loads CommonJS only */
const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

const fake = path.join(__dirname, '../unit/fake-cockpit.ts');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
    if (request === 'cockpit')
        return fake;
    if (request.startsWith('.') && parent?.filename) {
        const ts = path.resolve(path.dirname(parent.filename), `${request}.ts`);
        if (fs.existsSync(ts))
            return ts;
    }
    return resolve.call(this, request, parent, ...rest);
};
