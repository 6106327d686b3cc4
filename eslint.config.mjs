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
  {
    // Open work: these test files still read JSON bodies and msgs as `any` (the simulator's control API, REST
    // bodies). Until they are typed, the unsafe-any family (and require-await) is off for them only; every other file
    // is checked with the full rule set.
    files: [
      'test/lib/broker.test.ts',
      'test/lib/decode.test.ts',
      'test/lib/normalize.test.ts',
      'test/lib/proxy.test.ts',
      'test/lib/rest/request-queue.test.ts',
      'test/release/packed-install.test.ts',
      'test/reliability/chaos-soak.test.ts',
      'test/security/hostile-flow.test.ts',
      'test/security/hostile-server.test.ts',
      'test/simulator/model/hostile.test.ts',
      'test/simulator/model/traffic.test.ts',
      'test/simulator/model/visibility.test.ts',
      'test/simulator/server/control-http.test.ts',
      'test/simulator/server/faults.test.ts',
      'test/simulator/server/rest-auth.test.ts',
      'test/simulator/server/rest-catalog.test.ts',
      'test/simulator/server/rest-subscriptions.test.ts',
      'test/start/demo-functions.test.ts',
      'test/start/start.test.ts',
    ],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
);
