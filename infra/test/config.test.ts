import { checkCapacity, databaseMaxConnections } from '../lib/capacity';
import { DEFAULTS, InfraConfigError, parseInfraConfig } from '../lib/config';

describe('CDK context', () => {
  it('has defaults that synthesize without an account', () => {
    const config = parseInfraConfig({});
    expect(config).toMatchObject({ envName: 'staging', prefix: 'skillyug-staging', account: DEFAULTS.account, region: DEFAULTS.region, domain: DEFAULTS.domain, multiAz: false, shutdownGraceSeconds: 20 });
    expect(config.connectionArn).toBeUndefined();
  });

  it('switches production defaults on with env=production', () => {
    const config = parseInfraConfig({ env: 'production' });
    expect(config).toMatchObject({ envName: 'production', prefix: 'skillyug-production', multiAz: true });
    expect(parseInfraConfig({ env: 'production', multiAz: 'false' }).multiAz).toBe(false);
  });

  it('names every bad value in one error', () => {
    let error: unknown;
    try {
      parseInfraConfig({ env: 'prod', account: '12345', region: 'mumbai', domain: 'Not A Domain', edgeCertificateArn: 'arn:aws:acm:ap-south-1:123456789012:certificate/0f0f0f0f-1111-2222-3333-444444444444', cmsMaxTasks: '0', multiAz: 'maybe' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InfraConfigError);
    const message = (error as Error).message;
    for (const key of ['env:', 'account:', 'region:', 'domain:', 'edgeCertificateArn: CloudFront only uses certificates from us-east-1', 'cmsMaxTasks:', 'multiAz:']) {
      expect(message).toContain(key);
    }
  });

  it('refuses more database connections than the instance accepts', () => {
    const config = parseInfraConfig({ dbInstanceType: 't4g.micro', cmsMaxTasks: '20', dbPoolMax: '10' });
    expect(() => checkCapacity(config)).toThrow(/needs 420 PostgreSQL connections; t4g.micro allows about \d+/);
    expect(() => checkCapacity(parseInfraConfig({ env: 'production' }))).not.toThrow();
    // RDS: LEAST(DBInstanceClassMemory / 9531392, 5000), with the OS's share taken off.
    expect(databaseMaxConnections('m7g.large')).toBeGreaterThan(700);
    expect(databaseMaxConnections('m7g.large')).toBeLessThan(901);
    expect(databaseMaxConnections('r7g.large')).toBeGreaterThan(databaseMaxConnections('m7g.large'));
  });
});
