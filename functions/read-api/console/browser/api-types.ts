/** The read API's answers as the console reads them (the fields it shows; the API sends more). */

export interface Stats {
  median?: number;
  p90?: number;
}
export interface Bucket {
  start: string;
  deployments: number;
  changeFailures: number;
  leadTime: Stats;
}
export interface DoraSummary {
  deployments: number;
  deploymentFrequency: number;
  changeFailures: number;
  changeFailureRate: number | null;
  leadTime: Stats;
  timeToRestore: Stats;
  unrestoredFailures: number;
  /** Releases an entry condition held back: no deployment, so no change failure either. */
  gateBlocks: number;
  series: Bucket[];
}
export interface DoraResponse {
  from: string;
  to: string;
  bucket: string;
  overall: DoraSummary;
  pipelines: (DoraSummary & Place & { pipeline: string; productionStage?: string })[];
}
export interface StatusRegister {
  status: string;
  statusAt: string;
  attempt?: number;
}
export interface Action extends Partial<StatusRegister> {
  provider?: string;
  category?: string;
  region?: string;
  externalExecutionId?: string;
  externalExecutionUrl?: string;
  summary?: string;
  errorCode?: string;
}
export interface Stage {
  status?: StatusRegister;
  actions?: Record<string, Action>;
}
export interface Revision {
  actionName?: string;
  revisionId?: string;
  summary?: string;
  createdAt?: string;
  url?: string;
}
export interface Execution {
  pipeline: string;
  executionId: string;
  status?: StatusRegister;
  startTime?: string;
  firstEventAt: string;
  endTime?: string;
  trigger?: {
    type?: string;
    detail?: string;
    commitMessage?: string;
    commitId?: string;
    repository?: string;
    branch?: string;
    author?: string;
    authorEmail?: string;
    providerType?: string;
    connectionArn?: string;
  };
  sourceRevisions?: Revision[];
  variables?: { name: string; value: string }[];
  stopComments?: string;
  stages?: Record<string, Stage>;
}
/** Where a record lives: every pipeline is its account, region and name. */
export interface Place {
  account?: string;
  region?: string;
}
export interface PipelineSummary extends Place {
  pipeline: string;
  latestExecution?: Execution;
  deletedAt?: string;
}
export interface Approval extends Place {
  id: string;
  pipeline: string;
  stage: string;
  action: string;
  quorum: number;
  decisions?: unknown[];
  deadline: string;
  status?: string;
  customData?: string;
  consoleLink?: string;
  externalEntityLink?: string;
  revision?: { summary?: string; commitId?: string };
}
export interface Rollback {
  alarmName: string;
  /** arn:aws:cloudwatch:<region>:<account>:alarm:<name>: where the alarm fired, and so the target acted on. */
  alarmArn?: string;
  alarmStateTime: string;
  targetId: string;
  action: string;
  outcome: string;
  outcomeMessage?: string;
  reason?: string;
  deploymentId?: string;
}
export interface Run {
  runId?: string;
  status?: StatusRegister;
  attributes?: Record<string, string>;
  rollback?: { rolledBackBy?: string; rollsBack?: string; message?: string };
}
export interface ExecutionDetail {
  execution: Execution;
  deployments: Run[];
  builds: Run[];
  approvals: Approval[];
  rollbacks: Rollback[];
}
