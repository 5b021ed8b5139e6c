// Jest: tests/js only. ESM tests (*.test.mjs) need NODE_OPTIONS=--experimental-vm-modules,
// which `npm run test:js` sets. No transforms: the sources run as shipped.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests/js'],
  testMatch: ['**/*.test.mjs', '**/*.test.cjs', '**/*.test.js'],
  moduleFileExtensions: ['js', 'mjs', 'cjs', 'json'],
  transform: {},
  testTimeout: 120000,
  // Build trees contain copies of package.json-like files; keep Jest's module map to the sources.
  modulePathIgnorePatterns: ['<rootDir>/build', '<rootDir>/build-.*'],
};
