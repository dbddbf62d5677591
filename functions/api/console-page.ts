/** GET /: a plain page over the read API, enough for a newcomer to see the recorded history at once. */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pipeline-control-plane (local)</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.3rem} table{border-collapse:collapse;margin:.5rem 0 1.5rem} td,th{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:left}
.SUCCEEDED{color:#1a7f37}.FAILED{color:#cf222e}.STARTED,.RESUMED,.STOPPING{color:#9a6700}code{font-size:12px}
</style></head>
<body><h1>pipeline-control-plane: local history</h1><div id="app">Loading…</div>
<script>
const esc = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]));
async function load() {
  const { pipelines } = await (await fetch('/api/pipelines')).json();
  if (!pipelines.length) { document.getElementById('app').textContent = 'No executions recorded yet: POST events to /events, or run npm start -- --demo.'; return; }
  let html = '';
  for (const p of pipelines) {
    const { executions } = await (await fetch('/api/pipelines/' + encodeURIComponent(p.pipeline) + '/executions?limit=10')).json();
    html += '<h2>' + esc(p.pipeline) + '</h2><table><tr><th>Execution</th><th>Status</th><th>Started</th><th>Ended</th><th>Stages</th><th>Commit</th></tr>';
    for (const e of executions) {
      const status = e.status ? e.status.status : 'IN_PROGRESS';
      const stages = Object.entries(e.stages || {}).map(([n, s]) => '<span class="' + esc(s.status && s.status.status) + '">' + esc(n) + '</span>').join(' → ');
      const commit = (e.sourceRevisions && e.sourceRevisions[0]) || {};
      html += '<tr><td><code>' + esc(e.executionId.slice(0, 8)) + '</code></td><td class="' + esc(status) + '">' + esc(status) + '</td><td>' + esc(e.startTime || e.firstEventAt) + '</td><td>' + esc(e.endTime) + '</td><td>' + stages + '</td><td>' + esc((e.trigger && e.trigger.commitMessage) || commit.summary) + '</td></tr>';
    }
    html += '</table>';
  }
  document.getElementById('app').innerHTML = html;
}
load().catch((e) => { document.getElementById('app').textContent = 'Failed to load: ' + e.message; });
</script></body></html>`;
}
