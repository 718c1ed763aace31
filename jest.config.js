/** Tests run from TypeScript sources through ts-jest; CLI tests spawn the built dist/ (see globalSetup). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/engine-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 60000,
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // property-graph (used by @gltf-transform/core) ships ESM only, which jest cannot load: compile it to CommonJS.
    '^.+/property-graph/.+\\.mjs$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!property-graph/)'],
};
