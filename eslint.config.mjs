// ESLint (flat config): typescript-eslint's recommended type-checked rules over every TypeScript file,
// Prettier owns the layout (`prettier --check` runs beside this in `npm run lint`).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'test/compat/node22/node_modules/**',
      'test-output/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Node-RED's node constructors keep `const node = this` for the handlers (the documented pattern).
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['node'] }],
      // lib/frames/decode.ts throws a plain sentinel object on the per-frame path (no stack trace per bad frame).
      '@typescript-eslint/only-throw-error': [
        'error',
        { allow: [{ from: 'file', name: 'Bad', path: 'lib/frames/decode.ts' }] },
      ],
      'max-len': [
        'error',
        { code: 120, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true },
      ],
    },
  },
);
