#!/usr/bin/env bash
# Proves a product team can use idpkit from its own app: packs idpkit as npm would publish it
# (scripts/lib/packed-idpkit.sh), copies examples/team-app into an empty folder beside the tarball,
# installs the tarball and the app's other dependencies for real (`npm install` from the npm
# registry, answered from npm's cache where it can; nothing linked from this checkout),
# synthesizes it with the app command of its cdktf.json (tsc type-checks and compiles it with the
# TypeScript it installed, node runs it), and checks the team stack's Terraform JSON: remote state of the platform's infra
# stack, its own state key, the namespace and its release, ECR repositories, the bucket (with the
# dev tier's defaults) and the workload identities, and that IdpkitApp ran the policy packs (their
# SARIF report). Then a team app that breaks a policy rule must fail at synth and write nothing.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib/packed-idpkit.sh
. "$root/scripts/lib/packed-idpkit.sh"
pack_idpkit

app="$work/team-app"
mkdir -p "$app"
(cd "$root/examples/team-app" && tar --exclude=node_modules --exclude=cdktf.out --exclude=dist -cf - .) | tar -xf - -C "$app"
cd "$app"
export CHECKPOINT_DISABLE=1 npm_config_prefer_offline=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
npm install "../idpkit/$tarball"
check_no_links_into_checkout
app_command=$(node -p 'require("./cdktf.json").app')
eval "$app_command"
node -e '
const { parse } = require("yaml");
const json = require("./cdktf.out/stacks/team-payments-dev/cdk.tf.json");
const fail = (message) => { console.error(`team app check failed: ${message}`); process.exit(1); };
const all = (type) => Object.values(json.resource[type] || {});
const remote = Object.values(json.data?.terraform_remote_state || {});
if (remote.length !== 1 || remote[0].backend !== "s3" || remote[0].config.key !== "idpkit/dev-infra/terraform.tfstate") fail(`expected the remote state of dev-infra in S3, found ${JSON.stringify(remote)}`);
if (json.terraform.backend?.s3?.key !== "idpkit/teams/payments/dev/terraform.tfstate" || json.terraform.backend.s3.encrypt !== true) fail("expected its own encrypted state at idpkit/teams/payments/dev/terraform.tfstate");
if (!all("kubernetes_namespace_v1").some((ns) => ns.metadata.name === "payments" && ns.metadata.labels["pod-security.kubernetes.io/enforce"] === "restricted")) fail("expected the restricted namespace payments");
const release = all("helm_release").find((r) => r.name === "team-payments");
if (!release || release.namespace !== "payments") fail("expected the release team-payments in namespace payments");
const kinds = parse(release.values[0]).manifests.map((o) => `${o.kind}/${o.metadata.name}`);
for (const kind of ["ResourceQuota/compute", "RoleBinding/team-admin", "NetworkPolicy/default-deny", "PostgreSQLInstance/orders"]) if (!kinds.includes(kind)) fail(`expected ${kind} in the release, found ${kinds.join(", ")}`);
const repositories = all("aws_ecr_repository").map((r) => r.name).sort().join(",");
if (repositories !== "dev/payments/api,dev/payments/worker") fail(`expected ECR repositories dev/payments/api and dev/payments/worker, found ${repositories}`);
const bucket = all("aws_s3_bucket").find((b) => b.bucket.startsWith("payments-dev-receipts-"));
if (!bucket) fail("expected the receipts bucket");
if (bucket.force_destroy !== true || bucket.lifecycle?.prevent_destroy) fail(`expected the dev tier defaults on the bucket (force_destroy, no prevent_destroy), found ${JSON.stringify({ force_destroy: bucket.force_destroy, lifecycle: bucket.lifecycle })}`);
const sarif = JSON.parse(require("node:fs").readFileSync("./cdktf.out/idpkit-policy.sarif", "utf8"));
const errors = sarif.runs[0].results.filter((r) => r.level === "error" && !r.suppressions);
if (errors.length > 0) fail(`expected no policy errors in the SARIF report, found ${errors.map((r) => r.ruleId).join(", ")}`);
const bound = all("aws_eks_pod_identity_association").map((a) => `${a.namespace}/${a.service_account}`).sort().join(",");
if (bound !== "payments/api,payments/worker") fail(`expected identities of payments/api and payments/worker, found ${bound}`);
const count = Object.values(json.resource).reduce((n, r) => n + Object.keys(r).length, 0);
console.log(`team app check passed: the example team app synthesized ${count} resources from the packed idpkit (release objects: ${kinds.length})`);
'
node -e '
const { existsSync } = require("node:fs");
const { TerraformStack } = require("cdktf");
const { AwsProvider } = require("@cdktf/provider-aws/lib/provider");
const { S3Bucket } = require("@cdktf/provider-aws/lib/s3-bucket");
const { loadEnvironmentFile } = require("idpkit");
const { IdpkitApp } = require("idpkit/platform");
const app = new IdpkitApp({ environment: loadEnvironmentFile("environments/dev.json"), outdir: "rejected.out" });
const stack = new TerraformStack(app, "unencrypted");
new AwsProvider(stack, "aws", { region: "eu-west-1" });
new S3Bucket(stack, "uploads", { bucket: "payments-uploads" });
try {
  app.synth();
} catch (error) {
  if (error.code !== "IDPKIT_POLICY" || !error.problems.some((p) => p.startsWith("unencrypted: IDP-AWS-001 aws_s3_bucket.uploads "))) throw error;
  if (existsSync("rejected.out")) { console.error("team app check failed: a synth that failed its policy check wrote rejected.out"); process.exit(1); }
  console.log(`team app check passed: a team app with an unencrypted bucket failed at synth (${error.problems.length} policy errors) and wrote nothing`);
  process.exit(0);
}
console.error("team app check failed: a team app with an unencrypted bucket synthesized");
process.exit(1);
'
