// Unit tests: pure parsers, pkg/lib and views against a scripted fake of pkg/lib.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/src', '<rootDir>/pkg', '<rootDir>/test/sim', '<rootDir>/build'],
  testMatch: ['**/*.test.ts', '**/*.test.tsx'],
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json', diagnostics: false }],
    '\\.sh$': '<rootDir>/test/unit/raw-transform.js',
  },
  moduleNameMapper: {
    '^cockpit$': '<rootDir>/test/unit/fake-cockpit.ts',
    '\\.(css|scss)$': '<rootDir>/test/unit/style-stub.js',
  },
  setupFilesAfterEnv: ['<rootDir>/test/unit/setup.ts'],
};
