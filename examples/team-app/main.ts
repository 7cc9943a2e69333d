import { loadEnvironmentFile } from 'idpkit';
import { IdpkitApp, TeamConfig, TeamStack } from 'idpkit/platform';

/**
 * The payments team's own stack in the platform's dev environment: the platform team shares the
 * environment as JSON (environments/dev.json); everything else comes from the platform's remote
 * state when Terraform plans. IdpkitApp gives every construct the environment's tier (dev: no
 * deletion protection, short key deletion windows) and runs the platform's policy packs and secret
 * scan at synth, failing with the findings `idpkit check` reports before anything is written.
 */
const environment = loadEnvironmentFile('environments/dev.json'); // relative to the project, where cdktf synth runs the app

const payments: TeamConfig = {
  team: 'payments',
  owner: 'payments-team',
  costCenter: 'cc-1042',
  environment,
  members: { admin: 'payments-admins', edit: ['payments-developers'], view: ['finance-auditors'] },
  quota: { cpu: '8', memory: '16Gi' },
  repositories: ['api', 'worker'],
  buckets: [{ name: 'receipts', serviceAccounts: ['api', 'worker'], versioning: true }],
  databases: [{ name: 'orders', size: 'small', storageGiB: 50 }],
};

const app = new IdpkitApp({ environment, source: 'environments/dev.json' });
new TeamStack(app, { config: payments, source: 'main.ts' });
app.synth();
