/** One jest run for the whole repo: unit tests next to the code, API tests against a booted Strapi. */
const transform = { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2022' }, module: { type: 'commonjs' } }] };

module.exports = {
  // Generous: each API file boots Strapi and seeds a database in beforeAll, slow on a loaded 2-core machine.
  testTimeout: 180_000,
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/config/src/**/__tests__/**/*.test.ts', '<rootDir>/cms/src/**/__tests__/**/*.test.ts', '<rootDir>/site/src/**/__tests__/**/*.test.ts', '<rootDir>/src-plugins/*/server/src/**/__tests__/**/*.test.ts', '<rootDir>/src-plugins/*/admin/src/**/__tests__/**/*.test.ts'],
    },
    {
      // The CDK app (infra/): templates asserted offline with aws-cdk-lib/assertions, and cdk-nag.
      displayName: 'infra',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/infra/test/**/*.test.ts'],
    },
    {
      displayName: `api:${process.env.TEST_DB || 'sqlite'}`,
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/cms/tests/**/*.test.ts'],
      globalSetup: '<rootDir>/cms/tests/helpers/global-setup.js',
    },
  ],
};
