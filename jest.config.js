/** Tests run from TypeScript sources through ts-jest; CLI tests spawn the built dist/ (see globalSetup). */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: '<rootDir>/test/engine-environment.js',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  globalSetup: '<rootDir>/test/global-setup.js',
  testTimeout: 60000,
  // Jest runs each test file in a vm context, where every read of a global (Math.round, Number.isNaN,
  // new Float64Array) in a hot loop goes through the context's interceptors: measured 11x slower on a
  // Math.round/Math.exp loop, and vary's synthesis ~2x slower than in plain Node (nodejs/node#31658,
  // jestjs/jest#5163). Injecting these as parameters of jest's module wrapper makes them locals: the same
  // objects the global read would return, at plain-Node speed.
  sandboxInjectedGlobals: [
    'Math', 'Number', 'Array', 'Object',
    'Float64Array', 'Float32Array', 'Int32Array', 'Uint32Array', 'Int16Array', 'Uint16Array', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray',
  ],
  transform: {
    '^.+\\.ts$': 'ts-jest',
    // property-graph (used by @gltf-transform/core) ships ESM only, which jest cannot load: compile it to CommonJS.
    '^.+/property-graph/.+\\.mjs$': ['ts-jest', { tsconfig: { allowJs: true, module: 'commonjs', isolatedModules: true } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!property-graph/)'],
};
