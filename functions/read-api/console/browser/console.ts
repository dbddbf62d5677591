/// <reference lib="dom" />
/**
 * The console in the browser: DORA tiles and chart, pipelines and their executions, an execution's
 * timeline, approvals and rollback decisions, all over the read API of the same origin. Bundled by esbuild
 * into one script the read API serves inline (tooling/build-console.ts). The selection (range, bucket,
 * account, region, pipeline, execution) lives in the URL fragment, so a view can be bookmarked, shared and
 * reloaded.
 */
import type {
  Approval,
  DoraResponse,
  DoraSummary,
  Execution,
  ExecutionDetail,
  PipelineSummary,
  Place,
  Rollback,
  Stage,
} from './api-types';
import { renderChart } from './chart';
import { awsConsole, duration, esc, link, percent, pipelineHome, time } from './format';

const DAY_MS = 86_400_000;
const REFRESH_MS = 30_000;
// The console runs against one region's control plane; the records name their region where they have one.
const DEFAULT_REGION = 'us-east-1';

const byId = (id: string): HTMLElement => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`console page has no #${id}`);
  return element;
};
const select = (id: string) => byId(id) as HTMLSelectElement;

async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = (await response.json().catch(() => ({}))) as { message?: string };
  if (!response.ok) throw new Error(body.message ?? `${path} answered ${response.status}`);
  return body as T;
}

/** The account and region cells of a row, and its data attributes (what the filters and tests read). */
const placeCells = (place: Place) =>
  `<td><code>${esc(place.account ?? '')}</code></td><td>${esc(place.region ?? '')}</td>`;
const placeData = (place: Place) =>
  `data-account="${esc(place.account ?? '')}" data-region="${esc(place.region ?? '')}"`;
const PLACE_HEADERS = '<th scope="col">Account</th><th scope="col">Region</th>';

/** Whether a record is in the account and region the filters name (an unnamed filter admits all). */
function inPlace(place: Place): boolean {
  const { account, region } = readControls();
  return (!account || place.account === account) && (!region || place.region === region);
}

/** `&account=&region=` of the filters, for the API routes that take them. */
function placeQuery(place: Place = readControls()): string {
  return (
    (place.account ? `&account=${encodeURIComponent(place.account)}` : '') +
    (place.region ? `&region=${encodeURIComponent(place.region)}` : '')
  );
}

/** The AWS region of a place for console links: a CI pipeline's place (github.com) is no AWS region. */
const awsRegion = (place: Place): string =>
  place.region && /^[a-z]{2}(-[a-z]+)+-\d$/.test(place.region) ? place.region : DEFAULT_REGION;

/**
 * The catalogued pipelines the selection names: the selected name in the account and region the URL gives.
 * Another account or region may use the same name, and the per-pipeline routes answer 409 until one is chosen.
 */
function pipelinesNamed(pipelines: PipelineSummary[], controls: Controls): PipelineSummary[] {
  return pipelines.filter(
    (p) =>
      p.pipeline === controls.pipeline &&
      (!controls.account || p.account === controls.account) &&
      (!controls.region || p.region === controls.region),
  );
}

/** The account and region to ask a per-pipeline route for: the one catalogued match's, else the filters'. */
function selectedPlace(pipelines: PipelineSummary[], controls: Controls): Place | 'ambiguous' {
  const named = pipelinesNamed(pipelines, controls);
  if (named.length > 1) return 'ambiguous';
  const only = named[0];
  return only
    ? { account: only.account, region: only.region }
    : { account: controls.account, region: controls.region };
}

/** The pipeline selector's value for one catalogued pipeline: its name, account and region. */
const pipelineOption = (p: { pipeline: string } & Place): string =>
  new URLSearchParams({ pipeline: p.pipeline, account: p.account ?? '', region: p.region ?? '' }).toString();

/** A rollback's place is its alarm's: arn:aws:cloudwatch:<region>:<account>:alarm:<name>. */
function rollbackPlace(rollback: Rollback): Place {
  const [, , , region, account] = (rollback.alarmArn ?? '').split(':');
  return { account: account || undefined, region: region || undefined };
}

function tile(testId: string, label: string, value: unknown, text: string, detail: string): string {
  return `<div class="tile" data-testid="${testId}" data-value="${esc(value)}"><div class="label">${esc(label)}</div><div class="value">${esc(text)}</div><div class="detail">${esc(detail)}</div></div>`;
}

function renderTiles(overall: DoraSummary, days: number): void {
  byId('tiles').innerHTML =
    tile(
      'dora-deployments',
      'Deployments',
      overall.deployments,
      String(overall.deployments),
      `${overall.deploymentFrequency} per day over ${days} days`,
    ) +
    tile(
      'dora-lead-time',
      'Lead time (median)',
      overall.leadTime.median ?? '',
      duration(overall.leadTime.median),
      `p90 ${duration(overall.leadTime.p90)}, commit to production`,
    ) +
    tile(
      'dora-change-failure-rate',
      'Change failure rate',
      overall.changeFailureRate ?? '',
      percent(overall.changeFailureRate),
      `${overall.changeFailures} of ${overall.deployments} deployments failed; ${overall.gateBlocks} held by a gate (not failures)`,
    ) +
    tile(
      'dora-time-to-restore',
      'Time to restore (median)',
      overall.timeToRestore.median ?? '',
      duration(overall.timeToRestore.median),
      `${overall.unrestoredFailures} not restored yet`,
    );
}

function renderPerPipeline(pipelines: DoraResponse['pipelines']): void {
  const rows = pipelines
    .map(
      (p) =>
        `<tr data-testid="dora-pipeline" data-pipeline="${esc(p.pipeline)}" ${placeData(p)} data-deployments="${p.deployments}" data-change-failures="${p.changeFailures}" data-gate-blocks="${p.gateBlocks}">` +
        `<td><a href="${esc(hashWith({ pipeline: p.pipeline, execution: '', account: p.account ?? '', region: p.region ?? '' }))}">${esc(p.pipeline)}</a></td>${placeCells(p)}<td>${esc(p.productionStage ?? 'whole execution')}</td>` +
        `<td class="num">${p.deployments}</td><td class="num">${p.deploymentFrequency}</td><td class="num">${duration(p.leadTime.median)}</td>` +
        `<td class="num">${percent(p.changeFailureRate)}</td><td class="num">${duration(p.timeToRestore.median)}</td><td class="num">${p.unrestoredFailures}</td><td class="num">${p.gateBlocks}</td></tr>`,
    )
    .join('');
  byId('per-pipeline').innerHTML = pipelines.length
    ? `<table><thead><tr><th scope="col">Pipeline</th>${PLACE_HEADERS}<th scope="col">Production stage</th><th scope="col">Deployments</th><th scope="col">Per day</th><th scope="col">Lead time</th><th scope="col">Change failure rate</th><th scope="col">Time to restore</th><th scope="col">Unrestored</th><th scope="col">Gate blocks</th></tr></thead><tbody>${rows}</tbody></table>`
    : '<p class="empty">No deployments in this range.</p>';
}

const statusAt = (stage: Stage) => stage.status?.statusAt ?? '~';

/** Stages run in sequence, so their latest status times give their order (stored maps keep none). */
const orderedStages = (stages: Execution['stages']) =>
  Object.entries(stages ?? {}).sort(([, a], [, b]) => statusAt(a).localeCompare(statusAt(b)));

function stageChips(stages: Execution['stages']): string {
  return orderedStages(stages)
    .map(([name, stage]) => {
      const status = stage.status?.status ?? 'STARTED';
      const when = stage.status ? ` at ${time(stage.status.statusAt)}` : '';
      return `<span class="chip ${esc(status)}" data-testid="stage" title="${esc(`${name}: ${status}${when}`)}">${esc(name)}</span>`;
    })
    .join('<span class="arrow" aria-hidden="true">→</span>');
}

/** How long it ran, or has been running (recorded times only: a lost end event reads as still running). */
function took(execution: Execution): string {
  const started = Date.parse(execution.startTime ?? execution.firstEventAt);
  const ended = execution.endTime ? Date.parse(execution.endTime) : Date.now();
  return Number.isNaN(started)
    ? '–'
    : duration((ended - started) / 1000) + (execution.endTime ? '' : ' so far');
}

/** An execution's row; opening it names its pipeline's account and region (a name may be in several). */
function executionCells(e: Execution, place: Place): string {
  const status = e.status?.status ?? 'IN_PROGRESS';
  const commit = e.sourceRevisions?.[0];
  const message = e.trigger?.commitMessage ?? commit?.summary ?? '';
  const open = hashWith({
    pipeline: e.pipeline,
    execution: e.executionId,
    account: place.account ?? '',
    region: place.region ?? '',
  });
  return (
    `<td><a href="${esc(open)}" data-testid="open-execution" title="${esc(e.executionId)}"><code>${esc(e.executionId.slice(0, 8))}</code></a></td>` +
    `<td class="status ${esc(status)}">${esc(status)}</td><td>${esc(time(e.startTime ?? e.firstEventAt))}</td><td class="num">${esc(took(e))}</td>` +
    `<td>${stageChips(e.stages)}</td><td>${commit?.url ? link(commit.url, message || commit.revisionId?.slice(0, 8) || 'commit') : esc(message)}</td>`
  );
}

/** A link to where the system that ran it shows it (AWS console, GitHub), or `fallback` when it has none. */
function homeLink(home: { href: string; label: string } | undefined, fallback: string, after = ''): string {
  return home ? `${link(home.href, home.label)}${after}` : fallback;
}

/** The accounts and regions a pipeline name is in, to choose one (the per-pipeline routes need it). */
function placeChoices(pipelines: PipelineSummary[], controls: Controls): string {
  const choices = pipelinesNamed(pipelines, controls)
    .map((p) => {
      const open = hashWith({
        pipeline: p.pipeline,
        execution: controls.execution,
        account: p.account ?? '',
        region: p.region ?? '',
      });
      return `<li data-testid="pipeline-choice" ${placeData(p)}><a href="${esc(open)}">${esc(p.pipeline)} in ${esc(p.account ?? '')} ${esc(p.region ?? '')}</a></li>`;
    })
    .join('');
  return `<p>${esc(controls.pipeline)} is in several accounts or regions: choose one.</p><ul>${choices}</ul>`;
}

async function renderPipelines(pipelines: PipelineSummary[], controls: Controls): Promise<void> {
  const target = byId('pipelines');
  const selected = controls.pipeline;
  if (!pipelines.length && !selected) {
    target.innerHTML =
      '<p class="empty">No executions recorded yet: POST events to /events, or run npm start -- --demo.</p>';
    return;
  }
  if (selected) {
    const place = selectedPlace(pipelines, controls);
    if (place === 'ambiguous') {
      target.innerHTML = placeChoices(pipelines, controls);
      return;
    }
    const { executions } = await getJson<{ executions: Execution[] }>(
      `/api/pipelines/${encodeURIComponent(selected)}/executions?limit=15${placeQuery(place)}`,
    );
    target.innerHTML =
      `<p>${homeLink(pipelineHome(selected, awsRegion(place)), esc(selected))}</p>` +
      `<table><thead><tr><th scope="col">Execution</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Took</th><th scope="col">Stages</th><th scope="col">Change</th></tr></thead><tbody>` +
      executions.map((e) => `<tr data-testid="execution">${executionCells(e, place)}</tr>`).join('') +
      '</tbody></table>';
    return;
  }
  target.innerHTML =
    `<table><thead><tr><th scope="col">Pipeline</th>${PLACE_HEADERS}<th scope="col">Latest execution</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Took</th><th scope="col">Stages</th><th scope="col">Change</th></tr></thead><tbody>` +
    pipelines
      .filter(inPlace)
      .map((p) => {
        // Opening a pipeline names its account and region: another account's pipeline may have the same name.
        const open = hashWith({
          pipeline: p.pipeline,
          execution: '',
          account: p.account ?? '',
          region: p.region ?? '',
        });
        const name = `<td><a href="${esc(open)}">${esc(p.pipeline)}</a></td>${placeCells(p)}`;
        const row = `<tr data-testid="pipeline" data-pipeline="${esc(p.pipeline)}" ${placeData(p)}>${name}`;
        // A catalogued pipeline may have no execution left (expired, or its first write failed): say so, load the rest.
        if (!p.latestExecution)
          return `${row}<td colspan="6" class="empty">no executions recorded${p.deletedAt ? ' (pipeline deleted)' : ''}</td></tr>`;
        return `${row}${executionCells(p.latestExecution, p)}</tr>`;
      })
      .join('') +
    '</tbody></table>';
}

/** An execution's stages and actions on one time axis, its revisions, deployments, approvals and rollbacks. */
async function renderExecution(pipelines: PipelineSummary[], controls: Controls): Promise<void> {
  const { pipeline, execution: executionId } = controls;
  const section = byId('execution-section');
  if (!pipeline || !executionId) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const place = selectedPlace(pipelines, controls);
  if (place === 'ambiguous') {
    byId('execution').innerHTML = placeChoices(pipelines, controls);
    return;
  }
  const placeRegion = awsRegion(place);
  const detail = await getJson<ExecutionDetail>(
    `/api/pipelines/${encodeURIComponent(pipeline)}/executions/${encodeURIComponent(executionId)}?${placeQuery(place).slice(1)}`,
  );
  const e = detail.execution;
  const start = Date.parse(e.startTime ?? e.firstEventAt);
  const end = e.endTime ? Date.parse(e.endTime) : Date.now();
  const span = Math.max(end - start, 1);
  const position = (iso: string | undefined) =>
    iso ? Math.min(100, Math.max(0, ((Date.parse(iso) - start) / span) * 100)) : 100;

  // Actions record when they last changed; each bar runs from the end of what ran before it in its stage.
  let previous = e.startTime ?? e.firstEventAt;
  const rows = orderedStages(e.stages)
    .map(([stageName, stage]) => {
      const actions = Object.entries(stage.actions ?? {}).sort(([, a], [, b]) =>
        (a.statusAt ?? '~').localeCompare(b.statusAt ?? '~'),
      );
      return actions
        .map(([actionName, action]) => {
          const from = position(previous);
          const to = position(action.statusAt);
          previous = action.statusAt ?? previous;
          const status = action.status ?? 'STARTED';
          const region = action.region ?? placeRegion;
          const external = action.externalExecutionId;
          const externalLink = !external
            ? ''
            : action.provider === 'CodeDeploy'
              ? link(awsConsole.deployment(region, external), external)
              : action.provider === 'CodeBuild'
                ? link(awsConsole.build(region, external), external.split(':')[0] ?? external)
                : link(action.externalExecutionUrl, external);
          return (
            `<tr data-testid="timeline-action"><th scope="row">${esc(stageName)} / ${esc(actionName)}</th>` +
            `<td class="status ${esc(status)}">${esc(status)}${action.status && action.attempt && action.attempt > 1 ? ` (attempt ${action.attempt})` : ''}</td>` +
            // SVG geometry, not a style attribute: the page's Content-Security-Policy allows no inline styles.
            `<td class="bar-cell"><svg class="bar" viewBox="0 0 100 12" preserveAspectRatio="none" aria-hidden="true"><rect class="${esc(status)}" x="${from.toFixed(2)}" y="0" width="${Math.max(0.5, to - from).toFixed(2)}" height="12" rx="1"><title>${esc(`${actionName}: ${status} at ${time(action.statusAt)}`)}</title></rect></svg></td>` +
            `<td>${esc(time(action.statusAt))}</td><td>${esc(action.provider ?? '')} ${externalLink}${action.errorCode ? ` <span class="FAILED">${esc(action.errorCode)}</span>` : ''}</td></tr>`
          );
        })
        .join('');
    })
    .join('');

  const revisions = (e.sourceRevisions ?? [])
    .map(
      (r) =>
        `<li>${esc(r.actionName ?? 'Source')}: ${link(r.url, r.revisionId?.slice(0, 12) ?? 'revision')} ${esc(r.summary ?? '')} <span class="muted">${esc(time(r.createdAt))}</span></li>`,
    )
    .join('');
  const approvals = detail.approvals
    .map(
      (a) =>
        `<li>${esc(`${a.stage} / ${a.action}`)}: ${esc(a.status ?? 'PENDING')}, ${(a.decisions ?? []).length} of ${a.quorum} ${a.consoleLink ? link(a.consoleLink, 'in CodePipeline') : ''}</li>`,
    )
    .join('');
  const rollbacks = detail.rollbacks
    .map(
      (r) =>
        `<li>${link(awsConsole.alarm(awsRegion(rollbackPlace(r)), r.alarmName), r.alarmName)} → ${esc(r.targetId)}: ${esc(r.action)}, <span class="${esc(r.outcome)}">${esc(r.outcome)}</span></li>`,
    )
    .join('');
  const trigger = e.trigger;
  const triggerLine = trigger
    ? [
        trigger.type,
        trigger.providerType && `from ${trigger.providerType}`,
        trigger.repository && `${trigger.repository}${trigger.branch ? `@${trigger.branch}` : ''}`,
        trigger.author && `by ${trigger.author}${trigger.authorEmail ? ` <${trigger.authorEmail}>` : ''}`,
        trigger.connectionArn && `via ${trigger.connectionArn}`,
      ]
        .filter(Boolean)
        .join(' ')
    : '';
  const variables = (e.variables ?? [])
    .map(
      (v) =>
        `<tr data-testid="variable"><th scope="row">${esc(v.name)}</th><td><code>${esc(v.value)}</code></td></tr>`,
    )
    .join('');
  const deployments = detail.deployments
    .map((d) => {
      const rollback = d.rollback?.rolledBackBy
        ? `, rolled back by ${esc(d.rollback.rolledBackBy)}`
        : d.rollback?.rollsBack
          ? `, automatic rollback of ${esc(d.rollback.rollsBack)}`
          : '';
      return `<li data-testid="deployment">${link(awsConsole.deployment(placeRegion, d.runId ?? ''), d.runId ?? '')} ${esc(d.attributes?.application ?? '')}/${esc(d.attributes?.deploymentGroup ?? '')}: ${esc(d.status?.status ?? '')}${rollback}</li>`;
    })
    .join('');
  const status = e.status?.status ?? 'IN_PROGRESS';
  byId('execution').innerHTML =
    `<p><code>${esc(e.executionId)}</code> of ${esc(e.pipeline)}: <span class="status ${esc(status)}">${esc(status)}</span>, started ${esc(time(e.startTime ?? e.firstEventAt))}, took ${esc(took(e))}. ` +
    `${homeLink(pipelineHome(e.pipeline, placeRegion, e.executionId), '', ' · ')}<a href="${esc(hashWith({ execution: '' }))}">Close</a></p>` +
    `<table class="timeline" aria-label="Actions on a time axis from the start to the end of the execution"><thead><tr><th scope="col">Stage / action</th><th scope="col">Status</th><th scope="col">Timeline</th><th scope="col">At</th><th scope="col">Run</th></tr></thead><tbody>${rows}</tbody></table>` +
    (triggerLine ? `<p data-testid="trigger">Triggered: ${esc(triggerLine)}</p>` : '') +
    (e.stopComments ? `<p data-testid="stop-comments">Stopped: ${esc(e.stopComments)}</p>` : '') +
    `<h3>Revisions</h3>${revisions ? `<ul>${revisions}</ul>` : '<p class="empty">None recorded.</p>'}` +
    `<h3>Variables</h3>${variables ? `<table aria-label="Pipeline variables"><tbody>${variables}</tbody></table>` : '<p class="empty">None recorded.</p>'}` +
    `<h3>Deployments</h3>${deployments ? `<ul>${deployments}</ul>` : '<p class="empty">None recorded.</p>'}` +
    `<h3>Approvals</h3>${approvals ? `<ul>${approvals}</ul>` : '<p class="empty">None.</p>'}` +
    `<h3>Rollbacks</h3>${rollbacks ? `<ul>${rollbacks}</ul>` : '<p class="empty">None.</p>'}`;
}

function renderApprovals(approvals: Approval[]): void {
  byId('approvals').innerHTML = approvals.length
    ? `<table><thead><tr><th scope="col">Pipeline</th>${PLACE_HEADERS}<th scope="col">Stage / action</th><th scope="col">Change</th><th scope="col">Approvals</th><th scope="col">Deadline</th><th scope="col">Links</th></tr></thead><tbody>` +
      approvals
        .map(
          (a) =>
            `<tr data-testid="approval" ${placeData(a)}><td>${esc(a.pipeline)}</td>${placeCells(a)}<td>${esc(`${a.stage} / ${a.action}`)}</td><td>${esc(a.revision?.summary ?? a.revision?.commitId ?? a.customData ?? '')}</td>` +
            `<td class="num">${(a.decisions ?? []).length} of ${a.quorum}</td><td>${esc(time(a.deadline))}</td>` +
            `<td>${[a.consoleLink && link(a.consoleLink, 'pipeline'), a.externalEntityLink && link(a.externalEntityLink, 'changes')].filter(Boolean).join(' · ')}</td></tr>`,
        )
        .join('') +
      '</tbody></table>'
    : '<p class="empty">No approvals waiting.</p>';
}

function renderRollbacks(rollbacks: Rollback[]): void {
  byId('rollbacks').innerHTML = rollbacks.length
    ? `<table><thead><tr><th scope="col">Alarm in ALARM</th><th scope="col">Alarm</th>${PLACE_HEADERS}<th scope="col">Target</th><th scope="col">Decision</th><th scope="col">Outcome</th><th scope="col">Reason</th></tr></thead><tbody>` +
      rollbacks
        .map((r) => {
          const place = rollbackPlace(r);
          const region = place.region ?? DEFAULT_REGION;
          return (
            `<tr data-testid="rollback" ${placeData(place)}><td>${esc(time(r.alarmStateTime))}</td><td>${link(awsConsole.alarm(region, r.alarmName), r.alarmName)}</td>${placeCells(place)}<td>${esc(r.targetId)}${r.deploymentId ? ` (${link(awsConsole.deployment(region, r.deploymentId), r.deploymentId)})` : ''}</td>` +
            `<td>${esc(r.action)}</td><td class="status ${esc(r.outcome)}">${esc(r.outcome)}</td><td>${esc(r.outcomeMessage ?? r.reason)}</td></tr>`
          );
        })
        .join('') +
      '</tbody></table>'
    : '<p class="empty">No rollback decisions in this range.</p>';
}

interface Controls {
  days: number;
  bucket: 'day' | 'week';
  pipeline: string;
  execution: string;
  account: string;
  region: string;
  refresh: boolean;
}

function readControls(): Controls {
  const params = new URLSearchParams(location.hash.slice(1));
  const days = Number(params.get('days'));
  return {
    days: [7, 30, 90, 365].includes(days) ? days : 7,
    bucket: params.get('bucket') === 'week' ? 'week' : 'day',
    pipeline: params.get('pipeline') ?? '',
    execution: params.get('execution') ?? '',
    account: params.get('account') ?? '',
    region: params.get('region') ?? '',
    refresh: params.get('refresh') !== 'off',
  };
}

function hashWith(change: Partial<Controls>): string {
  const controls = { ...readControls(), ...change };
  const params = new URLSearchParams({ days: String(controls.days), bucket: controls.bucket });
  if (controls.account) params.set('account', controls.account);
  if (controls.region) params.set('region', controls.region);
  if (controls.pipeline) params.set('pipeline', controls.pipeline);
  if (controls.execution && controls.pipeline) params.set('execution', controls.execution);
  if (!controls.refresh) params.set('refresh', 'off');
  return `#${params.toString()}`;
}

let lastDora: DoraResponse | undefined;

async function load(): Promise<void> {
  const controls = readControls();
  document.body.dataset.view = location.hash;
  select('days').value = String(controls.days);
  select('bucket').value = controls.bucket;
  (byId('auto-refresh') as HTMLInputElement).checked = controls.refresh;
  const to = new Date();
  const from = new Date(to.getTime() - controls.days * DAY_MS);
  const range = `from=${from.toISOString()}&to=${to.toISOString()}`;
  byId('status').textContent = 'Loading…';
  const pipelineQuery =
    (controls.pipeline ? `&pipeline=${encodeURIComponent(controls.pipeline)}` : '') + placeQuery(controls);
  const [{ pipelines }, dora, { approvals }, { rollbacks }] = await Promise.all([
    getJson<{ pipelines: PipelineSummary[] }>('/api/pipelines'),
    getJson<DoraResponse>(`/api/metrics/dora?${range}&bucket=${controls.bucket}${pipelineQuery}`),
    getJson<{ approvals: Approval[] }>('/api/approvals'),
    getJson<{ rollbacks: Rollback[] }>(`/api/rollbacks?${range}`),
  ]);
  fillPipelineFilter(pipelines, controls);
  fillPlaceFilter(
    'account',
    'All accounts',
    pipelines.map((p) => p.account),
    controls.account,
  );
  fillPlaceFilter(
    'region',
    'All regions',
    pipelines.map((p) => p.region),
    controls.region,
  );
  lastDora = dora;
  renderTiles(dora.overall, controls.days);
  renderChart(byId('chart'), dora.overall.series, dora.bucket);
  renderPerPipeline(dora.pipelines);
  await renderPipelines(pipelines, controls);
  await renderExecution(pipelines, controls);
  const inScope = (item: { pipeline?: string; targetId?: string }) =>
    !controls.pipeline ||
    item.pipeline === controls.pipeline ||
    (item.targetId ?? '').includes(controls.pipeline);
  renderApprovals(approvals.filter((a) => inScope(a) && inPlace(a)));
  renderRollbacks(rollbacks.filter((r) => inScope(r) && inPlace(rollbackPlace(r))));
  byId('status').textContent =
    `Updated ${new Date().toLocaleTimeString()} · ${dora.from.slice(0, 10)} to ${dora.to.slice(0, 10)}`;
  byId('status').className = '';
  document.body.dataset.loaded = 'true';
}

/**
 * The pipeline selector: one choice per catalogued pipeline, each naming its account and region (a name in
 * several is labelled with them), and the URL's pipeline when it names no one of them.
 */
function fillPipelineFilter(pipelines: PipelineSummary[], controls: Controls): void {
  const count = new Map<string, number>();
  for (const p of pipelines) count.set(p.pipeline, (count.get(p.pipeline) ?? 0) + 1);
  const named = pipelinesNamed(pipelines, controls);
  const chosen =
    named.length === 1 && named[0]
      ? pipelineOption(named[0])
      : controls.pipeline
        ? pipelineOption({ pipeline: controls.pipeline, account: controls.account, region: controls.region })
        : '';
  const options = pipelines.map((p) => ({
    value: pipelineOption(p),
    label:
      (count.get(p.pipeline) ?? 0) > 1 ? `${p.pipeline} (${p.account ?? ''} ${p.region ?? ''})` : p.pipeline,
  }));
  if (chosen && !options.some((option) => option.value === chosen))
    options.push({
      value: chosen,
      label: named.length > 1 ? `${controls.pipeline} (several accounts or regions)` : controls.pipeline,
    });
  select('pipeline').innerHTML =
    '<option value="">All pipelines</option>' +
    options.map((o) => `<option value="${esc(o.value)}">${esc(o.label)}</option>`).join('');
  select('pipeline').value = chosen;
}

/** A filter's choices: the accounts (or regions) the catalog knows, and the one in the URL even if it knows none. */
function fillPlaceFilter(id: string, all: string, known: (string | undefined)[], chosen: string): void {
  const values = [...new Set([...known, chosen].filter((value): value is string => Boolean(value)))].sort();
  select(id).innerHTML =
    `<option value="">${esc(all)}</option>` +
    values.map((value) => `<option value="${esc(value)}">${esc(value)}</option>`).join('');
  select(id).value = chosen;
}

function reload(): void {
  document.body.dataset.loaded = 'false';
  load().catch((error: unknown) => {
    byId('status').textContent = `Failed to load: ${(error as Error).message}`;
    byId('status').className = 'error';
  });
}

function go(change: Partial<Controls>): void {
  location.hash = hashWith(change);
}

select('days').addEventListener('change', () => go({ days: Number(select('days').value) }));
select('bucket').addEventListener('change', () =>
  go({ bucket: select('bucket').value === 'week' ? 'week' : 'day' }),
);
select('account').addEventListener('change', () => go({ account: select('account').value, execution: '' }));
select('region').addEventListener('change', () => go({ region: select('region').value, execution: '' }));
// A pipeline chosen is a pipeline in one account and region: the filters follow it.
select('pipeline').addEventListener('change', () => {
  const chosen = new URLSearchParams(select('pipeline').value);
  go(
    chosen.get('pipeline')
      ? {
          pipeline: chosen.get('pipeline') ?? '',
          account: chosen.get('account') ?? '',
          region: chosen.get('region') ?? '',
          execution: '',
        }
      : { pipeline: '', execution: '' },
  );
});
byId('auto-refresh').addEventListener('change', (event) =>
  go({ refresh: (event.target as HTMLInputElement).checked }),
);
byId('refresh').addEventListener('click', reload);
window.addEventListener('hashchange', reload);
// Redraw the chart at the new width without asking the API again.
window.addEventListener('resize', () => {
  if (lastDora) renderChart(byId('chart'), lastDora.overall.series, lastDora.bucket);
});
// Refresh while the tab is visible; a hidden tab asks nothing.
setInterval(() => {
  if (
    readControls().refresh &&
    document.visibilityState === 'visible' &&
    document.body.dataset.loaded === 'true'
  )
    reload();
}, REFRESH_MS);
reload();
