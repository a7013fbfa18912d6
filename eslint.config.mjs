// One lint configuration for the whole workspace (npm test runs it).
// typescript-eslint's recommended rules, type-only imports marked as such, and no import cycles:
// a cycle between modules is how a plugin's domains stop being separable.
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/build/**',
      '**/.astro/**',
      '**/.tmp/**',
      '**/.strapi/**',
      'cms/types/generated/**',
      'site/public/**',
      'cms/public/**',
      'test-results/**',
      'coverage/**',
      // The CDK's synthesized templates (npm run infra:synth).
      'infra/cdk.out/**',
      // Astro components are type-checked by `astro check`-style tsc over the site; eslint has no parser for them here.
      '**/*.astro',
    ],
  },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mts,cts,js,mjs,cjs}'],
    plugins: { 'import-x': importX },
    settings: {
      // Which extensions are modules and which parser reads them (without these no-cycle sees no .ts imports).
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          noWarnOnMultipleProjects: true,
          project: ['cms/tsconfig.json', 'site/tsconfig.json', 'config/tsconfig.json', 'src-plugins/live/server/tsconfig.json', 'src-plugins/live/admin/tsconfig.json', 'infra/tsconfig.json'],
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { prefer: 'type-imports', fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Strapi's runtime objects (strapi.db, ctx, plugin services) are largely untyped; `any` at those seams is deliberate.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['site/src/**/*.{ts,tsx}', 'src-plugins/live/admin/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    // Tests load modules afresh inside jest.isolateModules and after changing process.env: that needs require().
    files: ['**/__tests__/**', '**/*.test.ts', 'cms/tests/**'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // CommonJS files (jest config, test helpers written in JS, the seed) use require.
    files: ['**/*.{js,cjs}'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  }
);
