/**
 * The secret scanner: finds literal secrets in synthesized Terraform JSON (and any other file of a
 * cdktf.out), including Helm `values` strings (YAML inside JSON strings) and `set` /
 * `set_sensitive` entries. Terraform references (`${...}`) are fine: they resolve at apply time
 * and never land in the repository or the plan file as text.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { OUTPUT_STATE_DIRECTORY } from '../core/output-state';
import { join, relative, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { IdpkitError } from '../core/errors';
import { parseYamlOnce } from '../core/yaml';
import { Finding } from './findings';

/** One kind of secret the scanner recognises. */
export interface SecretRule {
  /** Stable id, e.g. `IDP-SECRET-001`. */
  readonly id: string;
  /** One-line summary. */
  readonly summary: string;
  /** What a literal of this kind looks like, matched anywhere in a string; undefined for key-based rules. */
  readonly pattern?: RegExp;
  /** How to fix a finding. */
  readonly fix: string;
}

const FIX_REFERENCE =
  'take the value from a secret store at apply time (a `random_password` result, a Secrets Manager / Key Vault / Secret Manager reference, or External Secrets) and pass a `${...}` reference instead of the literal';

/** Endings of keys whose value is a secret (`password`, `adminPassword`, `client_secret`, `apiKey`, `token`), compared without `_` and `-`. */
export const SECRET_KEY_ENDINGS: readonly string[] = [
  'password', 'passwd', 'passphrase', 'secret', 'token', 'apikey', 'accesskey', 'secretkey', 'privatekey', 'secretstring', 'secretdata',
];

/** Keys that name a secret rather than hold one (`existingSecret: vault-token`). */
const SECRET_NAME_KEY = /(?:name|ref|arn|id|path|key[_-]?id|existing[_-]?secret|secret[_-]?name|file|version|type|ttl|length|enabled|policy)$/i;

/**
 * Every rule of the scanner; ids are stable. IDP-SECRET-001 is about key names, the others about
 * what a value looks like wherever it is.
 */
export const SECRET_RULES: readonly SecretRule[] = [
  { id: 'IDP-SECRET-001', summary: 'literal value in a password, secret, token or API key field', fix: FIX_REFERENCE },
  { id: 'IDP-SECRET-002', summary: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/, fix: 'keep private keys in a secret store (or let Terraform generate them with `tls_private_key`) and reference them' },
  { id: 'IDP-SECRET-003', summary: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, fix: 'use IAM roles (IRSA, Pod Identity, GitHub OIDC) instead of access keys, and revoke this key' },
  { id: 'IDP-SECRET-004', summary: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/, fix: 'use a GitHub App or OIDC instead of a personal token, and revoke this token' },
  { id: 'IDP-SECRET-005', summary: 'Slack token or webhook', pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+/, fix: `keep the Slack token or webhook URL in a secret store and reference it; revoke this one` },
  { id: 'IDP-SECRET-006', summary: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, fix: 'use workload identity instead of API keys, or reference the key from Secret Manager; revoke this one' },
  { id: 'IDP-SECRET-007', summary: 'bcrypt hash', pattern: /\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}/, fix: 'a password hash is as good as the password to an offline attacker: generate it at apply time from a `random_password` and reference it' },
  { id: 'IDP-SECRET-008', summary: 'URL with credentials', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"'$]+:[^/\s@"'$]+@/i, fix: 'build the URL from references at apply time, or give the credentials to the client separately' },
];

const KEY_RULE = SECRET_RULES[0];
const VALUE_RULES = SECRET_RULES.filter((rule) => rule.pattern);

/** Attributes of secret-store resources whose literal value is a secret. */
const SECRET_VALUE_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_secretsmanager_secret_version: ['secret_string', 'secret_binary'],
  aws_ssm_parameter: ['value'],
  azurerm_key_vault_secret: ['value'],
  google_secret_manager_secret_version: ['secret_data'],
  kubernetes_secret_v1: ['data', 'binary_data'],
  kubernetes_secret: ['data', 'binary_data'],
};

/** True when a string is (or builds on) a Terraform reference rather than a literal. */
function isReference(value: string): boolean {
  return value.includes('${');
}

/** A value worth calling a literal secret: a non-empty string that is not a reference. */
function isLiteral(value: unknown): value is string | number {
  if (typeof value === 'number') return true;
  return typeof value === 'string' && value.trim() !== '' && !isReference(value);
}

function lastSegment(name: string): string {
  return name.split('.').pop() ?? name;
}

function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[_-]/g, '');
  return SECRET_KEY_ENDINGS.some((ending) => normalized.endsWith(ending)) && !SECRET_NAME_KEY.test(key);
}

interface Context {
  readonly file: string;
  readonly stack: string;
  readonly findings: Finding[];
}

function add(ctx: Context, rule: SecretRule, path: string, what: string): void {
  const resource = /^resource\.([^.[]+)\.([^.[]+)/.exec(path);
  ctx.findings.push({
    rule: rule.id,
    severity: 'error',
    stack: ctx.stack,
    file: ctx.file,
    resource: resource ? `${resource[1]}.${resource[2]}` : undefined,
    path,
    message: `${rule.summary}: ${what}`,
    fix: rule.fix,
  });
}

/** Describes a literal without repeating it (findings end up in CI logs): its length only. */
function redact(value: string | number): string {
  return `a literal of ${String(value).length} characters`;
}

function scanText(ctx: Context, text: string, path: string): void {
  for (const rule of VALUE_RULES) {
    const match = rule.pattern!.exec(text);
    if (match) add(ctx, rule, path, `${redact(match[0])} at offset ${match.index}`);
  }
}

function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' || path.endsWith('#') ? `${path}${key}` : `${path}.${key}`;
}

/** Key-based checks over a parsed tree (JSON, or YAML from Helm values); text patterns separately. */
function scanKeys(ctx: Context, node: unknown, path: string): void {
  if (Array.isArray(node)) {
    node.forEach((item, index) => scanKeys(ctx, item, childPath(path, index)));
    return;
  }
  if (node === null || typeof node !== 'object') return;
  for (const [key, value] of Object.entries(node)) {
    const at = childPath(path, key);
    if (isSecretKey(key) && isLiteral(value)) add(ctx, KEY_RULE, at, `"${key}" is ${redact(value)}`);
    else scanKeys(ctx, value, at);
  }
}

/** Helm `set` / `set_sensitive` entries: `{ name: "auth.password", value: "..." }`. */
function scanHelmSet(ctx: Context, entries: unknown, path: string, sensitive: boolean): void {
  if (!Array.isArray(entries)) return;
  entries.forEach((entry, index) => {
    const name = (entry as { name?: unknown })?.name;
    const value = (entry as { value?: unknown })?.value;
    if (typeof name !== 'string' || !isLiteral(value)) return;
    if (sensitive || isSecretKey(lastSegment(name))) {
      add(ctx, KEY_RULE, `${childPath(path, index)}.value`, `${sensitive ? 'set_sensitive' : 'set'} "${name}" is ${redact(value)}`);
    }
  });
}

/**
 * The documents of a YAML text that parse, as plain values: the one document of the parse that
 * synthesis's other checks share, or, when the text is not one valid document, each of its
 * documents that has no errors.
 */
function yamlDocuments(text: string): unknown[] {
  try {
    return [parseYamlOnce(text)];
  } catch {
    return parseAllDocuments(text).flatMap((document) => (document.errors.length === 0 ? [document.toJS()] : []));
  }
}

/** Helm `values`: YAML documents inside JSON strings. */
function scanHelmValues(ctx: Context, values: unknown, path: string): void {
  if (!Array.isArray(values)) return;
  values.forEach((text, index) => {
    if (typeof text !== 'string') return;
    for (const document of yamlDocuments(text)) scanKeys(ctx, document, `${childPath(path, index)}#`);
  });
}

function scanResources(ctx: Context, json: Record<string, unknown>): void {
  const resources = (json.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>;
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName ?? {})) {
      const at = `resource.${type}.${name}`;
      for (const attribute of SECRET_VALUE_ATTRIBUTES[type] ?? []) {
        const value = body?.[attribute];
        if (isLiteral(value)) add(ctx, KEY_RULE, `${at}.${attribute}`, `${type}.${attribute} is ${redact(value)}`);
        else if (value && typeof value === 'object') {
          for (const [key, item] of Object.entries(value)) {
            if (isLiteral(item)) add(ctx, KEY_RULE, childPath(`${at}.${attribute}`, key), `${type}.${attribute}["${key}"] is ${redact(item)}`);
          }
        }
      }
      if (type === 'helm_release') {
        scanHelmValues(ctx, body?.values, `${at}.values`);
        scanHelmSet(ctx, body?.set, `${at}.set`, false);
        scanHelmSet(ctx, body?.set_sensitive, `${at}.set_sensitive`, true);
      }
    }
  }
}

function scanStrings(ctx: Context, node: unknown, path: string): void {
  if (typeof node === 'string') scanText(ctx, node, path);
  else if (Array.isArray(node)) node.forEach((item, index) => scanStrings(ctx, item, childPath(path, index)));
  else if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) scanStrings(ctx, value, childPath(path, key));
  }
}

/**
 * Scans one synthesized file for literal secrets.
 *
 * @param content the file's text (parsed as JSON when it is JSON) or already-parsed JSON
 * @param file the file's path relative to the output directory, for the findings
 * @param stack the stack the file belongs to
 * @returns one finding per literal secret (severity `error`), in document order per rule
 * @example
 * scanForSecrets({ resource: { aws_db_instance: { db: { password: 'hunter2' } } } }, 'cdk.tf.json', 'dev-infra');
 * // => [{ rule: 'IDP-SECRET-001', path: 'resource.aws_db_instance.db.password', ... }]
 */
export function scanForSecrets(content: string | object, file: string, stack: string): Finding[] {
  const ctx: Context = { file, stack, findings: [] };
  let json: unknown = content;
  if (typeof content === 'string') {
    try {
      json = JSON.parse(content);
    } catch {
      scanText(ctx, content, '');
      return ctx.findings;
    }
  }
  // Key names: the whole tree (Helm set entries and values strings are handled by scanResources).
  const { resource, ...rest } = (json ?? {}) as Record<string, unknown>;
  scanKeys(ctx, rest, '');
  for (const [type, byName] of Object.entries((resource ?? {}) as Record<string, Record<string, unknown>>)) {
    const secretAttributes = SECRET_VALUE_ATTRIBUTES[type] ?? [];
    for (const [name, body] of Object.entries(byName ?? {})) {
      const others = Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([key]) => !secretAttributes.includes(key) && !(type === 'helm_release' && ['set', 'set_sensitive'].includes(key))));
      scanKeys(ctx, others, `resource.${type}.${name}`);
    }
  }
  scanResources(ctx, (json ?? {}) as Record<string, unknown>);
  scanStrings(ctx, json, '');
  return ctx.findings;
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const path = join(dir, entry.name);
      // A published cdktf.out links its entries into the current generation (stacks/publish.ts): follow links.
      const stat = entry.isSymbolicLink() ? statSync(path, { throwIfNoEntry: false }) : entry;
      if (stat?.isDirectory()) return entry.name === '.terraform' || entry.name === OUTPUT_STATE_DIRECTORY ? [] : listFiles(path);
      return stat?.isFile() ? [path] : [];
    });
}

/** The stack a file of a cdktf.out belongs to: `stacks/<stack>/...`, else `(app)`. */
function stackOf(file: string): string {
  const parts = file.split(sep);
  return parts[0] === 'stacks' && parts.length > 2 ? parts[1] : '(app)';
}

/** Files larger than this are skipped (provider binaries, plan files): synthesized JSON is far smaller. */
const MAX_SCANNED_FILE_BYTES = 20 * 1024 * 1024;

/**
 * Scans every file of a synthesized directory (a cdktf.out): JSON files structurally, any other
 * file as text. `.terraform` directories (provider plugins) are skipped.
 */
export function scanDirectoryForSecrets(dir: string): Finding[] {
  return listFiles(dir)
    .filter((path) => statSync(path).size <= MAX_SCANNED_FILE_BYTES)
    .flatMap((path) => {
      const file = relative(dir, path);
      return scanForSecrets(readFileSync(path, 'utf8'), file.split(sep).join('/'), stackOf(file));
    });
}

/** Renders a finding as one line: `file path: message (rule) - fix`. */
export function describeSecretFinding(finding: Finding): string {
  return `${finding.file ?? finding.stack}${finding.path ? ` ${finding.path}` : ''}: ${finding.message} (${finding.rule}); fix: ${finding.fix}`;
}

/**
 * A synthesis check: throws `IDPKIT_SECRET_IN_OUTPUT`, listing every finding, when a file of the
 * directory holds a literal secret.
 */
export function assertNoSecrets(dir: string): void {
  const findings = scanDirectoryForSecrets(dir);
  if (findings.length > 0) throw new IdpkitError('IDPKIT_SECRET_IN_OUTPUT', findings.map(describeSecretFinding));
}
