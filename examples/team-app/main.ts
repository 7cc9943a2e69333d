import { App } from 'cdktf';
import { TeamConfig, TeamStack, loadEnvironmentFile } from 'idpkit';

/**
 * The payments team's own stack in the platform's dev environment: the platform team shares the
 * environment as JSON (environments/dev.json); everything else comes from the platform's remote
 * state when Terraform plans.
 */
const payments: TeamConfig = {
  team: 'payments',
  owner: 'payments-team',
  costCenter: 'cc-1042',
  environment: loadEnvironmentFile('environments/dev.json'), // relative to the project, where cdktf synth runs the app
  members: { admin: 'payments-admins', edit: ['payments-developers'], view: ['finance-auditors'] },
  quota: { cpu: '8', memory: '16Gi' },
  repositories: ['api', 'worker'],
  buckets: [{ name: 'receipts', serviceAccounts: ['api', 'worker'], versioning: true }],
  databases: [{ name: 'orders', size: 'small', storageGiB: 50 }],
};

const app = new App();
new TeamStack(app, { config: payments, source: 'main.ts' });
app.synth();
