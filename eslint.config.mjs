import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries: apps are thin shells over runtime libraries; domain contexts reach each other
// only through their public index; the web app never imports server code.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:runtime', 'type:domain', 'type:data', 'type:util'] },
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:runtime', 'type:domain', 'type:data', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:data', 'type:util'] },
  { sourceTag: 'type:data', onlyDependOnLibsWithTags: ['type:data', 'type:util'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:runtime', 'type:domain', 'type:data', 'type:util'] },
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:web'] },
];

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '.quire/**', '.nx/**', '**/vite.config.ts'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@nx/enforce-module-boundaries': ['error', { enforceBuildableLibDependency: false, allow: [], depConstraints }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Tests may use the shared fixtures of libs/testing wherever they live.
    files: ['**/*.spec.ts', '**/*.test.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: depConstraints.map((c) => ({ ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:testing'] })),
        },
      ],
    },
  },
];
