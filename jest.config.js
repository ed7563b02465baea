/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }] },
  testMatch: ['<rootDir>/tests/**/*.test.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  testTimeout: 30000,
  // Jest's default is one worker less than the cores: on a 2-core machine that is one file at a
  // time. Most files spend part of their time waiting (sockets, queue retries, a child process, a
  // browser), so three files at a time keep both cores busy: on 2 cores the suite took 366 s with
  // two workers and 294 s with three.
  maxWorkers: 3,
  // Longest files first, also on a fresh clone without jest's cache of durations.
  testSequencer: '<rootDir>/tests/helpers/sequencer.js',
  globalSetup: '<rootDir>/tests/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/tests/helpers/global-teardown.ts',
  // The default output, then which tests were skipped and why (tests/helpers/requires.ts).
  reporters: ['default', '<rootDir>/tests/helpers/skip-summary-reporter.js'],
};
