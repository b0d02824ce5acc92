// Browser tests: Debian's Chromium driven by playwright-core against a real Cockpit
// (cockpit-ws + cockpit-bridge) serving dist/ over the simulated workstation; and the egress
// world's own test (test/egress), which needs root and the kernel as these do.
/** @type {import('jest').Config} */
module.exports = {
  rootDir: '../..',
  roots: ['<rootDir>/test/browser', '<rootDir>/test/egress'],
  testEnvironment: 'node',
  testMatch: ['**/*.browser.test.ts', '**/test/egress/*.test.ts'],
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
