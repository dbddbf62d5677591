/**
 * The console's browser script: plain ES2020 over the read API, no framework and no build step, so the page is
 * one self-contained response from the API function. Every value that came from the API is escaped (`esc`) or
 * set as text; numbers the browser test compares with the API carry their raw value in `data-value`.
 */
export const CONSOLE_SCRIPT = `
const $ = (id) => document.getElementById(id);
const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const DAY_MS = 86400000;

async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message || (path + ' answered ' + response.status));
  return body;
}

function duration(seconds) {
  if (seconds === undefined || seconds === null) return '–';
  if (seconds < 90) return Math.round(seconds) + ' s';
  if (seconds < 90 * 60) return Math.round(seconds / 60) + ' min';
  if (seconds < 48 * 3600) return (seconds / 3600).toFixed(1) + ' h';
  return (seconds / 86400).toFixed(1) + ' d';
}
const percent = (rate) => (rate === null || rate === undefined ? '–' : Math.round(rate * 1000) / 10 + ' %');
const time = (iso) => (iso ? new Date(iso).toLocaleString() : '–');

function tile(testId, label, value, text, detail) {
  return '<div class="tile" data-testid="' + testId + '" data-value="' + esc(value) + '"><div class="label">' + esc(label) +
    '</div><div class="value">' + esc(text) + '</div><div class="detail">' + esc(detail) + '</div></div>';
}

function renderTiles(overall, days) {
  $('tiles').innerHTML =
    tile('dora-deployments', 'Deployments', overall.deployments, String(overall.deployments), overall.deploymentFrequency + ' per day over ' + days + ' days') +
    tile('dora-lead-time', 'Lead time (median)', overall.leadTime.median ?? '', duration(overall.leadTime.median), 'p90 ' + duration(overall.leadTime.p90) + ', commit to production') +
    tile('dora-change-failure-rate', 'Change failure rate', overall.changeFailureRate ?? '', percent(overall.changeFailureRate), overall.changeFailures + ' of ' + overall.deployments + ' deployments failed') +
    tile('dora-time-to-restore', 'Time to restore (median)', overall.timeToRestore.median ?? '', duration(overall.timeToRestore.median), overall.unrestoredFailures + ' not restored yet');
}

// One bar per bucket: deployments in blue, the failed ones over them in red; lead time as a line on its own axis.
function renderChart(series, bucket) {
  const width = 720, height = 180, pad = 28, n = series.length || 1;
  const step = (width - 2 * pad) / n, bar = Math.max(2, step * 0.7);
  const maxCount = Math.max(1, ...series.map((s) => s.deployments));
  const maxLead = Math.max(1, ...series.map((s) => s.leadTime.median || 0));
  const y = (count) => height - pad - (count / maxCount) * (height - 2 * pad);
  let bars = '', points = [];
  series.forEach((s, i) => {
    const x = pad + i * step + (step - bar) / 2;
    const label = s.start.slice(0, 10) + ': ' + s.deployments + ' deployments, ' + s.changeFailures + ' failed, lead time ' + duration(s.leadTime.median);
    bars += '<g data-testid="chart-bucket" data-deployments="' + s.deployments + '" data-failures="' + s.changeFailures + '"><title>' + esc(label) + '</title>' +
      '<rect class="deployments" x="' + x.toFixed(1) + '" y="' + y(s.deployments).toFixed(1) + '" width="' + bar.toFixed(1) + '" height="' + (height - pad - y(s.deployments)).toFixed(1) + '"/>' +
      '<rect class="failures" x="' + x.toFixed(1) + '" y="' + y(s.changeFailures).toFixed(1) + '" width="' + bar.toFixed(1) + '" height="' + (height - pad - y(s.changeFailures)).toFixed(1) + '"/></g>';
    if (s.leadTime.median !== undefined) points.push((x + bar / 2).toFixed(1) + ',' + (height - pad - (s.leadTime.median / maxLead) * (height - 2 * pad)).toFixed(1));
  });
  const first = series[0] ? series[0].start.slice(0, 10) : '', last = series.length ? series[series.length - 1].start.slice(0, 10) : '';
  $('chart').innerHTML = '<svg viewBox="0 0 ' + width + ' ' + height + '" role="img" aria-label="Deployments, change failures and lead time per ' + esc(bucket) + '">' +
    '<line class="axis" x1="' + pad + '" y1="' + (height - pad) + '" x2="' + (width - pad) + '" y2="' + (height - pad) + '"/>' + bars +
    (points.length ? '<polyline class="lead" points="' + points.join(' ') + '"/>' : '') +
    '<text x="' + pad + '" y="' + (height - 8) + '">' + esc(first) + '</text><text x="' + (width - pad) + '" y="' + (height - 8) + '" text-anchor="end">' + esc(last) + '</text>' +
    '<text x="' + pad + '" y="14">max ' + maxCount + ' deployments per ' + esc(bucket) + '; line: median lead time (max ' + esc(duration(maxLead)) + ')</text></svg>';
}

function renderPerPipeline(pipelines) {
  const rows = pipelines.map((p) => '<tr data-testid="dora-pipeline" data-pipeline="' + esc(p.pipeline) + '" data-deployments="' + p.deployments + '" data-change-failures="' + p.changeFailures + '">' +
    '<td>' + esc(p.pipeline) + '</td><td>' + esc(p.productionStage || 'whole execution') + '</td><td class="num">' + p.deployments + '</td><td class="num">' + p.deploymentFrequency +
    '</td><td class="num">' + duration(p.leadTime.median) + '</td><td class="num">' + percent(p.changeFailureRate) + '</td><td class="num">' + duration(p.timeToRestore.median) +
    '</td><td class="num">' + p.unrestoredFailures + '</td></tr>').join('');
  $('per-pipeline').innerHTML = pipelines.length
    ? '<table><tr><th>Pipeline</th><th>Production stage</th><th>Deployments</th><th>Per day</th><th>Lead time</th><th>Change failure rate</th><th>Time to restore</th><th>Unrestored</th></tr>' + rows + '</table>'
    : '<p class="empty">No deployments in this range.</p>';
}

// Stages run in sequence, so their latest status times give their order (stored maps keep none).
function stageChips(stages) {
  const at = (stage) => (stage.status && stage.status.statusAt) || '~';
  return Object.entries(stages || {}).sort(([, a], [, b]) => at(a).localeCompare(at(b))).map(([name, stage]) => {
    const status = (stage.status && stage.status.status) || 'STARTED';
    const when = stage.status ? ' at ' + time(stage.status.statusAt) : '';
    return '<span class="chip ' + esc(status) + '" data-testid="stage" title="' + esc(name + ': ' + status + when) + '">' + esc(name) + '</span>';
  }).join('<span class="arrow">→</span>');
}

// How long it ran, or has been running (recorded times only: a lost end event reads as still running).
function took(e) {
  const started = Date.parse(e.startTime || e.firstEventAt);
  const ended = e.endTime ? Date.parse(e.endTime) : Date.now();
  return Number.isNaN(started) ? '–' : duration((ended - started) / 1000) + (e.endTime ? '' : ' so far');
}

function executionRow(e) {
  const status = e.status ? e.status.status : 'IN_PROGRESS';
  const commit = (e.sourceRevisions && e.sourceRevisions[0]) || {};
  const message = (e.trigger && e.trigger.commitMessage) || commit.summary || '';
  return '<tr data-testid="execution"><td><code title="' + esc(e.executionId) + '">' + esc(e.executionId.slice(0, 8)) + '</code></td><td class="status ' + esc(status) + '">' + esc(status) +
    '</td><td>' + esc(time(e.startTime || e.firstEventAt)) + '</td><td class="num">' + esc(took(e)) + '</td><td>' + stageChips(e.stages) + '</td><td>' + esc(message) + '</td></tr>';
}

async function renderPipelines(pipelines, selected) {
  if (!pipelines.length) { $('pipelines').innerHTML = '<p class="empty">No executions recorded yet: POST events to /events, or run npm start -- --demo.</p>'; return; }
  if (selected) {
    const { executions } = await getJson('/api/pipelines/' + encodeURIComponent(selected) + '/executions?limit=15');
    $('pipelines').innerHTML = '<table><tr><th>Execution</th><th>Status</th><th>Started</th><th>Took</th><th>Stages</th><th>Change</th></tr>' + executions.map(executionRow).join('') + '</table>';
    return;
  }
  $('pipelines').innerHTML = '<table><tr><th>Pipeline</th><th>Latest execution</th><th>Status</th><th>Started</th><th>Took</th><th>Stages</th><th>Change</th></tr>' +
    pipelines.map((p) => {
      const cell = '<tr data-testid="pipeline" data-pipeline="' + esc(p.pipeline) + '"><td><a href="#" data-select="' + esc(p.pipeline) + '">' + esc(p.pipeline) + '</a></td>';
      // A catalogued pipeline may have no execution left (expired, or its first write failed): say so, load the rest.
      if (!p.latestExecution) return cell + '<td colspan="6" class="empty">no executions recorded' + (p.deletedAt ? ' (pipeline deleted)' : '') + '</td></tr>';
      return executionRow(p.latestExecution).replace('<tr data-testid="execution">', cell);
    }).join('') + '</table>';
}

function renderApprovals(approvals) {
  $('approvals').innerHTML = approvals.length
    ? '<table><tr><th>Pipeline</th><th>Stage / action</th><th>Change</th><th>Approvals</th><th>Expires</th></tr>' + approvals.map((a) =>
        '<tr data-testid="approval"><td>' + esc(a.pipeline) + '</td><td>' + esc(a.stage + ' / ' + a.action) + '</td><td>' + esc((a.revision && (a.revision.summary || a.revision.commitId)) || a.customData || '') +
        '</td><td class="num">' + (a.decisions || []).length + ' of ' + a.quorum + '</td><td>' + esc(time(a.deadline)) + '</td></tr>').join('') + '</table>'
    : '<p class="empty">No approvals waiting.</p>';
}

function renderRollbacks(rollbacks) {
  $('rollbacks').innerHTML = rollbacks.length
    ? '<table><tr><th>Alarm in ALARM</th><th>Alarm</th><th>Target</th><th>Decision</th><th>Outcome</th><th>Reason</th></tr>' + rollbacks.map((r) =>
        '<tr data-testid="rollback"><td>' + esc(time(r.alarmStateTime)) + '</td><td>' + esc(r.alarmName) + '</td><td>' + esc(r.targetId) + '</td><td>' + esc(r.action) +
        '</td><td class="status ' + esc(r.outcome) + '">' + esc(r.outcome) + '</td><td>' + esc(r.outcomeMessage || r.reason) + '</td></tr>').join('') + '</table>'
    : '<p class="empty">No rollback decisions in this range.</p>';
}

function readControls() {
  const params = new URLSearchParams(location.hash.slice(1));
  return { days: Number(params.get('days')) || 30, bucket: params.get('bucket') === 'week' ? 'week' : 'day', pipeline: params.get('pipeline') || '' };
}

function writeControls(controls) {
  const params = new URLSearchParams({ days: String(controls.days), bucket: controls.bucket });
  if (controls.pipeline) params.set('pipeline', controls.pipeline);
  location.hash = params.toString();
}

async function load() {
  const controls = readControls();
  document.body.dataset.view = location.hash;
  $('days').value = String(controls.days);
  $('bucket').value = controls.bucket;
  const to = new Date(), from = new Date(to.getTime() - controls.days * DAY_MS);
  const range = 'from=' + from.toISOString() + '&to=' + to.toISOString();
  $('status').textContent = 'Loading…';
  const [{ pipelines }, dora, { approvals }, { rollbacks }] = await Promise.all([
    getJson('/api/pipelines'),
    getJson('/api/metrics/dora?' + range + '&bucket=' + controls.bucket + (controls.pipeline ? '&pipeline=' + encodeURIComponent(controls.pipeline) : '')),
    getJson('/api/approvals'),
    getJson('/api/rollbacks?' + range),
  ]);
  $('pipeline').innerHTML = '<option value="">All pipelines</option>' + pipelines.map((p) => '<option value="' + esc(p.pipeline) + '">' + esc(p.pipeline) + '</option>').join('');
  $('pipeline').value = controls.pipeline;
  renderTiles(dora.overall, controls.days);
  renderChart(dora.overall.series, dora.bucket);
  renderPerPipeline(dora.pipelines);
  await renderPipelines(pipelines, controls.pipeline);
  const inScope = (item) => !controls.pipeline || item.pipeline === controls.pipeline;
  renderApprovals(approvals.filter(inScope));
  renderRollbacks(rollbacks);
  $('status').textContent = 'Updated ' + new Date().toLocaleTimeString() + ' · ' + dora.from.slice(0, 10) + ' to ' + dora.to.slice(0, 10);
  document.body.dataset.loaded = 'true';
}

function reload() {
  document.body.dataset.loaded = 'false';
  load().catch((error) => { $('status').textContent = 'Failed to load: ' + error.message; $('status').className = 'error'; });
}

for (const id of ['days', 'bucket', 'pipeline']) {
  $(id).addEventListener('change', () => writeControls({ days: Number($('days').value), bucket: $('bucket').value, pipeline: $('pipeline').value }));
}
document.addEventListener('click', (event) => {
  const link = event.target.closest('[data-select]');
  if (!link) return;
  event.preventDefault();
  writeControls({ ...readControls(), pipeline: link.dataset.select });
});
window.addEventListener('hashchange', reload);
reload();
`;
