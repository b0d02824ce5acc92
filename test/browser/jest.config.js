// Browser tests: Debian's Chromium driven by playwright-core against a real Cockpit
// (cockpit-ws + cockpit-bridge) serving dist/ over the simulated workstation.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/test/browser'],
  testEnvironment: 'node',
  testMatch: ['**/*.browser.test.ts'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
  },
  // the tests check files the page wrote with the page's own pure parsers (src/models/quadlet.ts)
  moduleNameMapper: {
    '^cockpit$': '<rootDir>/test/unit/fake-cockpit.ts',
  },
  testTimeout: 90000,
  maxWorkers: 1,
};
