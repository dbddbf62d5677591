/** Text for the page: escaping, durations, percentages, times and links, each used by several views. */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Every value from the API goes through here before it reaches innerHTML: commit messages are free text. */
export const esc = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

export function duration(seconds: number | undefined | null): string {
  if (seconds === undefined || seconds === null) return '–';
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 90 * 60) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
  return `${(seconds / 86400).toFixed(1)} d`;
}

export const percent = (rate: number | null | undefined): string =>
  rate === null || rate === undefined ? '–' : `${Math.round(rate * 1000) / 10} %`;

export const time = (iso: string | undefined): string => (iso ? new Date(iso).toLocaleString() : '–');

/** Only http(s) links are rendered as links: a `javascript:` URL from a bad record stays text. */
export function link(url: string | undefined, text: string): string {
  if (!url || !/^https?:\/\//.test(url)) return esc(text);
  return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${esc(text)}</a>`;
}

const consoleBase = (region: string) => `https://${region}.console.aws.amazon.com`;

/** The AWS console pages of what the control plane records, in the region it ran in. */
export const awsConsole = {
  execution: (region: string, pipeline: string, executionId: string) =>
    `${consoleBase(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}/timeline?region=${region}`,
  pipeline: (region: string, pipeline: string) =>
    `${consoleBase(region)}/codesuite/codepipeline/pipelines/${encodeURIComponent(pipeline)}/view?region=${region}`,
  deployment: (region: string, deploymentId: string) =>
    `${consoleBase(region)}/codesuite/codedeploy/deployments/${encodeURIComponent(deploymentId)}?region=${region}`,
  build: (region: string, buildId: string) =>
    `${consoleBase(region)}/codesuite/codebuild/projects/${encodeURIComponent(buildId.split(':')[0] ?? '')}/build/${encodeURIComponent(buildId)}?region=${region}`,
  alarm: (region: string, alarmName: string) =>
    `${consoleBase(region)}/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarmName)}`,
};

/**
 * Where a pipeline and its executions are shown by the system that ran them: the AWS console for CodePipeline,
 * the repository's Actions pages for a `github:<owner>/<repo>:<workflow>` pipeline (github.com; an Enterprise
 * Server's pipelines get no link), nothing for other CI systems (docs/other-ci.md).
 */
export function pipelineHome(
  pipeline: string,
  region: string,
  executionId?: string,
): { href: string; label: string } | undefined {
  const github = /^github:([^/:]+\/[^/:]+):/.exec(pipeline)?.[1];
  if (github) {
    const actions = `https://github.com/${github}/actions`;
    return executionId
      ? { href: `${actions}/runs/${encodeURIComponent(executionId)}`, label: 'Open in GitHub' }
      : { href: actions, label: `${pipeline} in GitHub` };
  }
  if (/^[a-z]+:/.test(pipeline)) return undefined;
  return executionId
    ? { href: awsConsole.execution(region, pipeline, executionId), label: 'Open in the AWS console' }
    : { href: awsConsole.pipeline(region, pipeline), label: `${pipeline} in the AWS console` };
}
