// Writes docs/policy-rules.md from the policy rule packs: `npm run docs:rules`.
'use strict';
require('./register-ts');
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { renderRulesTable } = require('../constructs/policy/docs.ts');

const file = join(__dirname, '..', 'docs', 'policy-rules.md');
writeFileSync(file, renderRulesTable());
console.log(`wrote ${file}`);
