// @ts-check
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

const FRAMEWORKS = ['mongoose', 'mongodb', 'ioredis', 'graphql', 'graphql-*', 'express', '@apollo/*', 'ws', 'pino', 'jose'];

module.exports = tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'api/generated/', 'web/src/generated/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The domain decides; it knows no transport, database or framework.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/api/**', '**/infrastructure/**', '../../api/*', '../../infrastructure/*'], message: 'domain/ must not import api/ or infrastructure/' },
            { group: FRAMEWORKS, message: 'domain/ must not import frameworks' },
          ],
        },
      ],
    },
  },
  {
    // Resolvers parse, call an application service and map: no persistence, no Redis.
    files: ['api/resolvers/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/infrastructure/**', 'mongoose', 'ioredis'], message: 'resolvers call application services only' }] },
      ],
    },
  },
  {
    // The web apps show what the server computed: they import no rule, only the close-code
    // table they share with client/.
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(domain|api)/|(^|/)infrastructure/(?!sessions/close-codes$)',
              message: 'web/ imports no server code except infrastructure/sessions/close-codes',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
