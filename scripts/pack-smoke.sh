#!/usr/bin/env bash
# Proves idpkit works as a library and as a command: packs it as npm would publish it, installs
# the tarball into a throwaway cdktf app, type-checks that app against the packed .d.ts files,
# synthesizes it with plain node, and checks the Terraform JSON. Then runs the packed `idpkit` bin
# (`presets`, `init`) in a second throwaway project, type-checks the files init wrote and
# synthesizes them with the app command of the cdktf.json it wrote. The apps' other dependencies
# (cdktf, constructs, providers, the CLI's libraries, ts-node) are linked from this checkout's
# node_modules to keep the check offline and fast.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/packed-idpkit.sh
. "$root/scripts/lib/packed-idpkit.sh"
pack_idpkit

app="$work/app"
install_packed_idpkit "$app"

if find "$app/node_modules/idpkit" -name '*.ts' ! -name '*.d.ts' | grep -q .; then
  echo "the package ships TypeScript sources; it should ship compiled JS and .d.ts only" >&2
  exit 1
fi

cat > "$app/main.ts" <<'TS'
import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { Construct } from 'constructs';
import { AwsContainerRegistry, AwsNetwork, validateEnvironment } from 'idpkit';

// A product team's own stack, reusing idpkit's constructs and schema.
class TeamStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'eu-west-1' });
    const network = new AwsNetwork(this, 'network', { name: 'team', cidr: '10.50.0.0/16', natGateways: 'single' });
    new AwsContainerRegistry(this, 'registry', { name: 'team', repositories: ['team/api'] });
    console.log(`private subnets: ${network.privateSubnetIds.length}`);
  }
}

// Invalid input must throw idpkit's typed error before anything is synthesized.
try {
  validateEnvironment({ name: 'not-valid' });
  throw new Error('expected a validation error');
} catch (error) {
  if ((error as Error).name !== 'IdpkitError') throw error;
}
const app = new App({ outdir: 'cdktf.out' });
new TeamStack(app, 'team');
app.synth();
TS
cat > "$app/tsconfig.json" <<'JSON'
{ "compilerOptions": { "target": "ES2022", "module": "commonjs", "moduleResolution": "node10", "strict": true, "skipLibCheck": true, "types": ["node"], "outDir": "dist" }, "files": ["main.ts"] }
JSON
cd "$app"
"$root/node_modules/.bin/tsc" -p tsconfig.json
node dist/main.js
node -e '
const json = require("./cdktf.out/stacks/team/cdk.tf.json");
const count = (type) => Object.keys(json.resource[type] || {}).length;
const checks = { aws_vpc: 1, aws_subnet: 6, aws_nat_gateway: 1, aws_ecr_repository: 1, aws_flow_log: 1 };
for (const [type, want] of Object.entries(checks)) {
  if (count(type) !== want) { console.error(`expected ${want} ${type}, found ${count(type)}`); process.exit(1); }
}
console.log("library check passed: a packed idpkit synthesized", Object.values(json.resource).reduce((n, r) => n + Object.keys(r).length, 0), "resources in a user app");
'
# The Score schema ships inside the package (dist/), next to the engine that loads it.
node -e '
const { parseScoreFile } = require("idpkit");
const workload = parseScoreFile({ path: "score.yaml", text: "apiVersion: score.dev/v1b1\nmetadata: { name: web }\ncontainers: { main: { image: nginx } }\n" });
try { parseScoreFile({ path: "bad.yaml", text: "apiVersion: score.dev/v1b1\nmetadata: {}\ncontainers: {}\n" }); process.exit(1); } catch (error) { if (error.code !== "IDPKIT_INVALID_WORKLOAD") throw error; }
console.log("score check passed: a packed idpkit validated workload", workload.metadata.name, "against its shipped Score schema");
'

# The command: the packed package's bin, linked as npm links it on install.
bin=$(node -p 'require("./node_modules/idpkit/package.json").bin.idpkit')
mkdir -p "$app/node_modules/.bin"
ln -s "../idpkit/$bin" "$app/node_modules/.bin/idpkit"
chmod +x "$app/node_modules/idpkit/$bin"
platform="$work/platform"
mkdir -p "$platform"
ln -s "$app/node_modules" "$platform/node_modules"
cd "$platform"
idpkit=("$platform/node_modules/.bin/idpkit")
"${idpkit[@]}" presets | grep -q 'self-service, golden paths' || { echo "idpkit presets did not list the presets" >&2; exit 1; }
"${idpkit[@]}" init --size small --cloud aws --envs dev </dev/null
for file in environments/dev.ts environments/index.ts main.ts cdktf.json tsconfig.json; do
  [ -f "$file" ] || { echo "idpkit init did not write $file" >&2; exit 1; }
done
status=0
"${idpkit[@]}" init --size small --cloud aws --envs dev </dev/null 2>/dev/null || status=$?
[ "$status" -eq 1 ] || { echo "idpkit init over existing files exited $status, expected 1 (refusal without --force)" >&2; exit 1; }
"$root/node_modules/.bin/tsc" -p tsconfig.json
app_command=$(node -p 'require("./cdktf.json").app')
eval "$app_command"
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
console.log(`command check passed: the packed idpkit bin wrote a project whose main.ts synthesized ${charts.length} charts`);
'
