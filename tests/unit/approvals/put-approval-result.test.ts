import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { approvalResultSender } from '../../../functions/approvals/adapters/put-approval-result';
import { interpretApprovalResultError } from '../../../functions/approvals/domain/approval-result';
import type { PutApprovalResult } from '../../../functions/approvals/ports';
import { createAwsClientFactory } from '../../../functions/platform/aws-clients';

// The real SDK against a loopback CodePipeline: what the retry and timeout settings do is the SDK's
// behaviour, which a mocked `send` would not show.
let answer: (request: IncomingMessage, response: ServerResponse) => void = () => {};
const requests: string[] = [];
const server = createServer((request, response) => {
  requests.push(String(request.headers['amz-sdk-request']));
  answer(request, response);
});
const saved = { ...process.env };
let putApprovalResult: PutApprovalResult;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_CODEPIPELINE: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-2',
    AWS_ACCESS_KEY_ID: 'AKIDTEST',
    AWS_SECRET_ACCESS_KEY: 'secret',
  });
  // Created after the endpoint is set: the client reads AWS_ENDPOINT_URL_CODEPIPELINE when it is built.
  putApprovalResult = approvalResultSender(createAwsClientFactory());
});
afterEach(() => {
  requests.length = 0;
});
afterAll(async () => {
  process.env = saved;
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const approval = { pipeline: 'p', stage: 's', action: 'a', token: 't' };
const failure = (status: number, type: string) => (_req: IncomingMessage, response: ServerResponse) => {
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
  response.end(JSON.stringify({ __type: type, message: type }));
};

describe('putApprovalResult (bounded client)', () => {
  it('retries once, and "already completed" after that retry reads as our own success', async () => {
    let calls = 0;
    answer = (req, res) =>
      ++calls === 1
        ? failure(500, 'InternalFailure')(req, res)
        : failure(400, 'ApprovalAlreadyCompletedException')(req, res);
    const error = await putApprovalResult(approval, 'Approved', 'ok').catch((e: unknown) => e);
    expect(requests).toEqual(['attempt=1; max=2', 'attempt=2; max=2']);
    expect(interpretApprovalResultError(error, false)).toBe('accepted');
  });

  it('gives up after two attempts of a CodePipeline that never answers, well inside the 10 s Lambda', async () => {
    answer = () => {}; // never responds
    const started = Date.now();
    const error = await putApprovalResult(approval, 'Approved', 'ok').catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(requests).toHaveLength(2);
    expect(interpretApprovalResultError(error, false)).toBe('unknown');
  }, 10_000);
});
