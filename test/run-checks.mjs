// `make check`: build, lint, type-check, unit tests and browser tests, each in turn,
// then one closing line "N passed, N failed" that counts every test that ran. The build,
// lint and type-check count as one test each; jest suites count their tests, and a
// suite that cannot even run counts as one failure.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const results = path.join(repo, 'test/results');
fs.mkdirSync(results, { recursive: true });
fs.rmSync(path.join(results, 'summary.txt'), { force: true });

let passed = 0;
let failed = 0;
const failures = [];

function step(name, argv) {
    console.log(`\n=== ${name}: ${argv.join(' ')}`);
    const started = Date.now();
    const result = spawnSync(argv[0], argv.slice(1), { cwd: repo, stdio: 'inherit' });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const ok = result.status === 0;
    console.log(`=== ${name}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
    return ok;
}

function single(name, argv) {
    const ok = step(name, argv);
    if (ok)
        passed++;
    else {
        failed++;
        failures.push(name);
    }
    return ok;
}

function jest(name, config, extra = []) {
    const output = path.join(results, `${name}.json`);
    fs.rmSync(output, { force: true });
    const ok = step(name, ['npx', 'jest', '--config', config, '--json', `--outputFile=${output}`, ...extra]);
    if (!fs.existsSync(output)) {
        failed++;
        failures.push(`${name} (jest did not report)`);
        return;
    }
    const report = JSON.parse(fs.readFileSync(output, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests + report.numRuntimeErrorTestSuites;
    for (const suite of report.testResults) {
        if (suite.status === 'failed' && suite.assertionResults.length === 0)
            failures.push(`${name}: ${path.relative(repo, suite.name)} could not run`);
        for (const test of suite.assertionResults.filter(t => t.status === 'failed'))
            failures.push(`${name}: ${test.fullName}`);
    }
    if (!ok && report.numFailedTests + report.numRuntimeErrorTestSuites === 0) {
        failed++;
        failures.push(`${name} (jest exited non-zero)`);
    }
}

const built = single('build', ['npx', 'webpack', '--mode', 'production']);
single('lint', ['npx', 'eslint', '--max-warnings', '0', '.']);
single('typecheck', ['npx', 'tsc', '--noEmit', '-p', 'tsconfig.json']);
jest('unit', 'jest.config.js');
if (built)
    jest('browser', 'test/browser/jest.config.js', ['--runInBand']);
else {
    failed++;
    failures.push('browser (skipped: the build failed)');
}

if (failures.length > 0) {
    console.log('\nFailed:');
    for (const failure of failures)
        console.log(`  ${failure}`);
}
const summary = `${passed} passed, ${failed} failed`;
fs.writeFileSync(path.join(results, 'summary.txt'), summary + '\n');
console.log(`\n${summary}`);
process.exit(failed === 0 ? 0 : 1);
