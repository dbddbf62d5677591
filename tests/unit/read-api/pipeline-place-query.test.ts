import { describe, expect, it } from 'vitest';
import { parseDoraQuery } from '../../../functions/read-api/dora-query';
import { parseExecutionQuery } from '../../../functions/read-api/execution-query';

const now = new Date('2026-12-02T10:00:00Z');

describe('a pipeline named by its account and region in a query', () => {
  it.each([
    ['an AWS account and region', '123456789012', 'eu-west-1'],
    ['a GitHub pipeline (github + its host)', 'github', 'github.com'],
    ['a GitHub Enterprise Server pipeline with a port', 'github', 'ghe.example.com:8443'],
    ['a generic CI pipeline (ci + its system)', 'ci', 'jenkins'],
  ])('accepts %s, as the console sends them', (_case, account, region) => {
    expect(parseExecutionQuery({ account, region })).toMatchObject({ account, region });
    expect(parseDoraQuery({ account, region }, now)).toMatchObject({ account, region });
  });

  it.each([
    ['account', '12345', /account: expected a 12-digit AWS account id, or github or ci/],
    ['account', 'gitlab', /account: expected a 12-digit AWS account id, or github or ci/],
    [
      'region',
      'EU WEST',
      /region: expected an AWS Region code such as us-east-1, or a CI host or system name/,
    ],
  ])('refuses %s %j with the reason', (field, value, reason) => {
    expect(() => parseExecutionQuery({ [field]: value })).toThrow(reason);
    expect(() => parseDoraQuery({ [field]: value }, now)).toThrow(reason);
  });
});
