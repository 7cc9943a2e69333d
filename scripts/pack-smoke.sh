#!/usr/bin/env bash
# Proves idpkit works as a library: packs it as npm would publish it, installs the tarball into a
# throwaway cdktf app, type-checks that app against the packed .d.ts files, synthesizes it with
# plain node, and checks the Terraform JSON. The app's other dependencies (cdktf, constructs,
# providers) are linked from this checkout's node_modules to keep the check offline and fast.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$root"
tarball=$(npm pack --silent --pack-destination "$work" 2>/dev/null | tail -n 1)
echo "packed $tarball ($(du -h "$work/$tarball" | cut -f1))"

app="$work/app"
mkdir -p "$app/node_modules/idpkit"
tar -xzf "$work/$tarball" -C "$app/node_modules/idpkit" --strip-components=1
for dep in cdktf constructs @cdktf zod yaml @types typescript; do
  mkdir -p "$app/node_modules/$(dirname "$dep")"
  ln -s "$root/node_modules/$dep" "$app/node_modules/$dep"
done

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
