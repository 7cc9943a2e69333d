// Lint rules that protect idpkit's speed, portability and layers.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import tseslint from 'typescript-eslint';

const providerRoot = {
  regex: '^@cdktf/provider-[a-z0-9-]+$',
  message:
    'Import provider classes by deep path (e.g. @cdktf/provider-aws/lib/eks-cluster): the package root loads every resource of the provider and makes synth ~7x slower.',
};

/**
 * The layers of idpkit, bottom up (docs/architecture.md): a file may import files of its own layer
 * and of the layers below it, never of a layer above. A file belongs to the layer of the longest
 * prefix that matches its path.
 */
const LAYERS = [
  ['core', ['constructs/core/']],
  ['integration', ['constructs/integration/']],
  ['infrastructure', ['constructs/infrastructure/']],
  ['capabilities', ['constructs/capabilities/']],
  ['orchestration', ['constructs/orchestration/']],
  ['interface', ['constructs/interface/']],
  ['policy', ['constructs/policy/']],
  ['add-on catalog', ['constructs/addons/']],
  ['presets', ['constructs/presets/']],
  ['environments', ['environments/']],
  ['stacks', ['stacks/']],
  ['CLI', ['cli/']],
  ['entry points', ['constructs/index.ts', 'constructs/entry/', 'main.ts', 'scripts/']],
];

const root = dirname(new URL(import.meta.url).pathname);
const pathOf = (file) => relative(root, file).split(sep).join('/');

/** The layer of a file (its index in LAYERS), or -1 for a file of no layer. */
function layerOf(path) {
  let best = -1;
  let length = 0;
  LAYERS.forEach(([, prefixes], index) => {
    for (const prefix of prefixes) if ((path === prefix || path.startsWith(prefix)) && prefix.length > length) [best, length] = [index, prefix.length];
  });
  return best;
}

/** The file a relative import names, as TypeScript resolves it here; undefined for a package. */
function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(fromFile), specifier);
  return [`${base}.ts`, `${base}/index.ts`, base].find((candidate) => existsSync(candidate) && !candidate.endsWith(sep));
}

/** Every module a file imports (static, type-only, dynamic, require, import types), by absolute path. */
const importsCache = new Map();
function importsOf(file) {
  if (!importsCache.has(file)) {
    const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    const imported = ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => resolveImport(file, fileName));
    importsCache.set(file, [...new Set(imported.filter((target) => target && /\.ts$/.test(target)))]);
  }
  return importsCache.get(file);
}

/** A chain of imports from `file` back to itself, or undefined when there is none. */
function cycleThrough(file) {
  const seen = new Set();
  const visit = (current, chain) => {
    for (const next of importsOf(current)) {
      if (next === file) return [...chain, next];
      if (seen.has(next)) continue;
      seen.add(next);
      const found = visit(next, [...chain, next]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(file, [file]);
}

const idpkit = {
  rules: {
    layers: {
      meta: { type: 'problem', schema: [] },
      create(context) {
        const file = context.filename;
        const own = layerOf(pathOf(file));
        const check = (node, specifier) => {
          if (typeof specifier !== 'string') return;
          const target = resolveImport(file, specifier);
          const theirs = target ? layerOf(pathOf(target)) : -1;
          if (own < 0 || theirs <= own) return;
          context.report({
            node,
            message: `${pathOf(file)} (${LAYERS[own][0]}) imports ${pathOf(target)} (${LAYERS[theirs][0]}), a layer above it: imports run down the layers only (docs/architecture.md). Move what both need down, or invert the dependency.`,
          });
        };
        return {
          ImportDeclaration: (node) => check(node, node.source.value),
          ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
          ExportAllDeclaration: (node) => check(node, node.source.value),
          ImportExpression: (node) => check(node, node.source.value),
          TSImportType: (node) => check(node, node.argument.literal?.value ?? node.argument.value),
          'CallExpression[callee.name="require"]': (node) => check(node, node.arguments[0]?.value),
        };
      },
    },
    'no-import-cycle': {
      meta: { type: 'problem', schema: [] },
      create(context) {
        return {
          Program(node) {
            const cycle = cycleThrough(context.filename);
            if (cycle) context.report({ node, message: `imports come back to this file: ${cycle.map(pathOf).join(' -> ')}. Break the circle: move what the files share into a module they both import.` });
          },
        };
      },
    },
  },
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
    // One direction of imports: down the layers, and never in a circle.
    files: ['cli/**/*.ts', 'constructs/**/*.ts', 'environments/**/*.ts', 'stacks/**/*.ts', 'main.ts', 'scripts/**/*.ts'],
    plugins: { idpkit },
    rules: { 'idpkit/layers': 'error', 'idpkit/no-import-cycle': 'error' },
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
    // The per-cloud loaders: each cloud's stack code (and with it its provider bindings) is
    // required the first time an environment on that cloud is built, so a one-cloud app needs only
    // that cloud's provider installed. `import()` would make stack construction asynchronous.
    files: ['stacks/clouds/index.ts', 'stacks/team/clouds.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain CommonJS scripts run by node directly, and jest's transforms and reporters.
    files: ['scripts/**/*.js', 'test/support/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
