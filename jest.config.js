/** Tests run from TypeScript sources through ts-jest; CLI tests spawn the built dist/ (see globalSetup). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/engine-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 60000,
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
};
