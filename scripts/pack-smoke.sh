#!/usr/bin/env bash
# Proves the README's install commands work on a fresh machine: packs idpkit as npm would publish
# it, then, in an empty folder beside the tarball, runs the commands of README.md's `sh test:pack`
# blocks as written (install idpkit from the tarball and the rest from the npm registry, answered
# from npm's cache where it can; `idpkit init`; `cdktf synth`, which type-checks and compiles the
# app with the TypeScript those commands installed). Then checks the synthesized stacks, the
# packed `idpkit` command, that TypeScript 7 builds the same project, the README's library example
# compiled and synthesized in that project, and every TypeScript block of the docs and @example of
# the TSDoc type-checked against the packed .d.ts. Nothing is linked from this checkout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/packed-idpkit.sh
. "$root/scripts/lib/packed-idpkit.sh"
started=$SECONDS
pack_idpkit
check_tarball_contents
run_readme_commands
cd "$project"
export CHECKPOINT_DISABLE=1 npm_config_prefer_offline=true npm_config_update_notifier=false

installed=$(node -p 'const p = require.resolve("typescript/package.json"); `${require(p).version} ${p}`')
case "$installed" in
  "5.9."*" $work/"*) echo "the project type-checked and compiled with TypeScript ${installed%% *}, installed in it" ;;
  *) echo "expected the project's own TypeScript 5.9, found $installed" >&2; exit 1 ;;
esac

node -e '
const stack = (name) => require(`./cdktf.out/stacks/${name}/cdk.tf.json`);
const count = (json, type) => Object.keys(json.resource[type] || {}).length;
const infra = stack("dev-infra");
const platform = stack("dev-platform");
const checks = [[infra, "aws_eks_cluster", 1], [infra, "aws_db_instance", 1], [infra, "aws_budgets_budget", 1]];
for (const [json, type, want] of checks) {
  if (count(json, type) !== want) { console.error(`expected ${want} ${type}, found ${count(json, type)}`); process.exit(1); }
}
const charts = Object.values(platform.resource.helm_release).map((release) => release.chart);
for (const chart of ["backstage", "argo-cd", "cert-manager", "external-secrets", "alloy"]) {
  if (!charts.includes(chart)) { console.error(`expected the ${chart} chart in dev-platform, found ${charts.join(", ")}`); process.exit(1); }
}
console.log(`init check passed: the project idpkit init wrote synthesized dev-infra and dev-platform (${charts.length} charts)`);
'

npx idpkit presets | grep -q 'self-service, golden paths' || { echo "idpkit presets did not list the presets" >&2; exit 1; }
status=0
npx idpkit init --size small --cloud aws --envs dev </dev/null >/dev/null 2>&1 || status=$?
[ "$status" -eq 1 ] || { echo "idpkit init over existing files exited $status, expected 1 (refusal without --force)" >&2; exit 1; }

# The tsconfig.json init wrote uses no option TypeScript 7 removed: the native compiler builds it too.
npm_config_yes=true npx --package typescript@7 -- tsc -p . --outDir "$work/dist-ts7"
[ -f "$work/dist-ts7/main.js" ] || { echo "TypeScript 7 did not compile main.ts" >&2; exit 1; }
echo "TypeScript 7 check passed: $(npm_config_yes=true npx --package typescript@7 -- tsc --version) compiled the project"

# README.md's library example (its ```ts test:pack block, after the ```sh test:pack block that
# installs the AWS provider), as written: compiled by the project's tsc and synthesized.
mkdir library
node --require "$root/scripts/register-ts.js" "$root/scripts/doc-blocks.ts" block test:pack >library/main.ts
cat >library/tsconfig.json <<'JSON'
{ "extends": "../tsconfig.json", "compilerOptions": { "rootDir": ".", "outDir": "dist" }, "include": ["main.ts"] }
JSON
(cd library && npx tsc && node dist/main.js)
node -e '
const json = require("./library/cdktf.out/stacks/team/cdk.tf.json");
const count = (type) => Object.keys(json.resource[type] || {}).length;
const checks = { aws_vpc: 1, aws_subnet: 6, aws_nat_gateway: 1, aws_ecr_repository: 1, aws_flow_log: 1 };
for (const [type, want] of Object.entries(checks)) {
  if (count(type) !== want) { console.error(`expected ${want} ${type}, found ${count(type)}`); process.exit(1); }
}
if (json.provider.aws[0].region !== "eu-west-1") { console.error("expected the AWS provider in eu-west-1"); process.exit(1); }
console.log("library check passed: the README library example synthesized", Object.values(json.resource).reduce((n, r) => n + Object.keys(r).length, 0), "resources");
'
# Invalid input throws idpkit's typed error before anything is synthesized.
node -e '
const { validateEnvironment } = require("idpkit");
try { validateEnvironment({ name: "not-valid" }); } catch (error) { if (error.name === "IdpkitError") process.exit(0); throw error; }
console.error("expected validateEnvironment to throw an IdpkitError"); process.exit(1);
'
# The Score schema ships inside the package (dist/), next to the engine that loads it.
node -e '
const { parseScoreFile } = require("idpkit");
const workload = parseScoreFile({ path: "score.yaml", text: "apiVersion: score.dev/v1b1\nmetadata: { name: web }\ncontainers: { main: { image: nginx } }\n" });
try { parseScoreFile({ path: "bad.yaml", text: "apiVersion: score.dev/v1b1\nmetadata: {}\ncontainers: {}\n" }); process.exit(1); } catch (error) { if (error.code !== "IDPKIT_INVALID_WORKLOAD") throw error; }
console.log("score check passed: a packed idpkit validated workload", workload.metadata.name, "against its shipped Score schema");
'
# Docs that compile: every TypeScript block of README.md and docs/ and every @example of the TSDoc,
# type-checked by the project's tsc against the packed .d.ts (errors at the doc's file and line).
# They cover every cloud, so the check installs the providers the README's commands leave out.
peer() { node -p 'require("idpkit/package.json").peerDependencies[process.argv[1]]' "$1"; }
npm install --no-save "@cdktf/provider-azurerm@$(peer @cdktf/provider-azurerm)" "@cdktf/provider-google@$(peer @cdktf/provider-google)" >/dev/null
node --require "$root/scripts/register-ts.js" "$root/scripts/doc-blocks.ts" check .
echo "test:pack passed in $((SECONDS - started)) s"
