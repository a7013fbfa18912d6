import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { synthesize } from './helpers';

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the default (staging) app, and every acknowledgement carries its reason', () => {
    // app.synth() throws "Validation failed" on any unacknowledged finding.
    const { app } = synthesize({});
    // Validations.acknowledge records { "<plugin>::<rule id>": reason } on the construct it was called on.
    const rules = app.node
      .findAll()
      .flatMap((construct) =>
        construct.node.metadata
          .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ path: construct.node.path, id, reason })))
      )
      // Ours; CDK acknowledges some of its own CloudFormation-Validate warnings.
      .filter((rule) => rule.id.startsWith('AwsSolutions::'));
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) {
      expect(rule.id).toMatch(/^AwsSolutions::AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect([rule.path, rule.id, rule.reason.length > 30]).toEqual([rule.path, rule.id, true]);
      // Scoped: on a resource or policy, never on a whole stack or the app.
      expect([rule.path, rule.path.split('/').length > 1]).toEqual([rule.path, true]);
    }
  });

  it('does fail a synth on a finding (the check is really on)', () => {
    const app = new App();
    const stack = new Stack(app, 'Unsafe', { env: { account: '123456789012', region: 'ap-south-1' } });
    new s3.Bucket(stack, 'Open', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    expect(() => app.synth()).toThrow(/AwsSolutions-S2/);
  });
});
