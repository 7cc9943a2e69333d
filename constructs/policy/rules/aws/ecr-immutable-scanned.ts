import type { Rule } from '../../rule';
import { block } from '../../private/terraform-json';

/** IDP-AWS-010: an ECR repository has immutable tags and scans images on push. */
export const ecrImmutableScannedRule: Rule = {
  id: 'IDP-AWS-010',
  severity: { dev: 'warning', staging: 'error', prod: 'error' },
  summary: 'ECR repository has immutable image tags and scans images on push',
  fix: 'Set image_tag_mutability = "IMMUTABLE" and image_scanning_configuration { scan_on_push = true }.',
  appliesTo: ['aws_ecr_repository'],
  check(repository) {
    const immutable = typeof repository.image_tag_mutability === 'string' && repository.image_tag_mutability.startsWith('IMMUTABLE');
    const scanned = block(repository.image_scanning_configuration)?.scan_on_push === true;
    return immutable && scanned ? 'compliant' : 'non-compliant';
  },
};
