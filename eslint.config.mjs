// Lint rules that protect idpkit's speed and portability.
import tseslint from 'typescript-eslint';

const providerRoot = {
  regex: '^@cdktf/provider-[a-z0-9-]+$',
  message:
    'Import provider classes by deep path (e.g. @cdktf/provider-aws/lib/eks-cluster): the package root loads every resource of the provider and makes synth ~7x slower.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', 'dist/**', 'coverage/**', 'examples/*/node_modules/**', 'examples/*/cdktf.out/**', 'golden-paths/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'cdktf',
              message: "Import cdktf through constructs/core/cdktf.ts so that moving off cdktf stays a one-file change.",
            },
          ],
          patterns: [providerRoot],
        },
      ],
    },
  },
  {
    files: ['constructs/core/cdktf.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [providerRoot] }] },
  },
  {
    // Example apps are users' apps: they import cdktf itself, as any cdktf app does.
    files: ['examples/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [providerRoot] }] },
  },
  {
    // Tests walk synthesized Terraform JSON, which has no static type.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Plain CommonJS scripts run by node directly.
    files: ['scripts/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
