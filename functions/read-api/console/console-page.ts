import { createHash } from 'node:crypto';
import { CONSOLE_SCRIPT } from './console-script';

const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--busy:#7d4e00;--muted:#57606a;--line:#d8dee4;--accent:#0969da;--deploy:#218bff}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:1rem 2rem;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:1.15rem;margin:0 auto 0 0} label{color:var(--muted)} select,button{margin-left:.3rem;font:inherit}
main{padding:1rem 2rem} h2{font-size:1rem;margin:1.6rem 0 .5rem} h3{font-size:.9rem;margin:1rem 0 .3rem}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.2rem 1rem 1rem;margin-bottom:1rem;overflow-x:auto}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8rem}
.tile{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem}
.tile .label{color:var(--muted)} .tile .value{font-size:1.8rem;font-weight:600} .tile .detail{color:var(--muted);font-size:12px}
#chart svg{display:block;width:100%;height:auto} svg text{font-size:12px;fill:var(--muted)} svg text.axis-title{font-size:12px;fill:#1b1f24}
rect.deployments{fill:var(--deploy)} rect.failures{fill:var(--bad)} polyline.lead{fill:none;stroke:var(--busy);stroke-width:2} circle.lead{fill:var(--busy)}
line.axis{stroke:var(--muted)} line.grid{stroke:var(--line)}
.legend{display:flex;flex-wrap:wrap;gap:1.2rem;list-style:none;padding:0;margin:.4rem 0;color:var(--muted)}
.swatch{display:inline-block;width:12px;height:12px;margin-right:.35rem;vertical-align:-1px;border-radius:2px}
.swatch.deployments{background:var(--deploy)} .swatch.failures{background:var(--bad)} .swatch.lead{background:var(--busy);height:3px;vertical-align:3px}
table{border-collapse:collapse;width:100%} td,th{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th[scope=row]{font-weight:normal;white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums} code{font-size:12px} a{color:var(--accent)} a:focus-visible,select:focus-visible,button:focus-visible,input:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.chip{display:inline-block;padding:0 .45rem;border-radius:10px;font-size:12px;background:#eaeef2}
.arrow{color:var(--muted);margin:0 .2rem} .muted{color:var(--muted)}
.timeline td.bar-cell{width:40%;min-width:200px} svg.bar{display:block;width:100%;height:12px;background:#f6f8fa}
svg.bar rect{fill:var(--deploy)} svg.bar rect.FAILED{fill:var(--bad)} svg.bar rect.SUCCEEDED{fill:var(--ok)} svg.bar rect.STARTED,svg.bar rect.IN_PROGRESS{fill:var(--busy)}
.SUCCEEDED,.succeeded,.redeployed{color:var(--ok)} .chip.SUCCEEDED{background:#dafbe1}
.FAILED,.failed,.STOPPED{color:var(--bad)} .chip.FAILED{background:#ffebe9}
.STARTED,.IN_PROGRESS,.RESUMED,.STOPPING,.pending,.observed{color:var(--busy)} .chip.STARTED,.chip.RESUMED{background:#fff8c5}
.empty{color:var(--muted)} #status{color:var(--muted);font-size:12px} #status.error{color:var(--bad)}
`;

const cspHash = (source: string) => `'sha256-${createHash('sha256').update(source).digest('base64')}'`;

/**
 * The page runs only its own inline script and style (pinned by hash) and talks only to its own origin, so
 * a string that slipped past escaping still could not load or send anything elsewhere.
 */
export const CONSOLE_HEADERS: Record<string, string> = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': [
    "default-src 'none'",
    "connect-src 'self'",
    `script-src ${cspHash(CONSOLE_SCRIPT)}`,
    `style-src ${cspHash(STYLE)}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

/**
 * GET / and /console: the control plane at a glance over the read API: DORA tiles and chart with range, bucket
 * and pipeline selectors, the pipelines and their latest executions, an execution's timeline, approvals
 * waiting and rollback decisions, refreshed every 30 s. The script is browser/console.ts, bundled.
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pipeline-control-plane</title><style>${STYLE}</style></head>
<body data-loaded="false">
<header><h1>pipeline-control-plane</h1>
<label>Range<select id="days" data-testid="range"><option value="7">7 days</option><option value="30">30 days</option><option value="90">90 days</option><option value="365">365 days</option></select></label>
<label>Bucket<select id="bucket" data-testid="bucket"><option value="day">day</option><option value="week">week</option></select></label>
<label>Account<select id="account" data-testid="account-filter"><option value="">All accounts</option></select></label>
<label>Region<select id="region" data-testid="region-filter"><option value="">All regions</option></select></label>
<label>Pipeline<select id="pipeline" data-testid="pipeline-filter"><option value="">All pipelines</option></select></label>
<label><input type="checkbox" id="auto-refresh" data-testid="auto-refresh" checked> Refresh every 30 s</label>
<button type="button" id="refresh" data-testid="refresh">Refresh now</button>
<span id="status" data-testid="status" role="status"></span></header>
<main>
<h2>Delivery metrics (DORA)</h2>
<div class="tiles" id="tiles"></div>
<section><h2>Deployments and change failures</h2><div id="chart" data-testid="chart"></div></section>
<section id="execution-section" hidden><h2>Execution</h2><div id="execution" data-testid="execution-detail"></div></section>
<section><h2>Per pipeline</h2><div id="per-pipeline"></div></section>
<section><h2>Pipelines</h2><div id="pipelines"></div></section>
<section><h2>Approvals waiting</h2><div id="approvals"></div></section>
<section><h2>Rollback decisions</h2><div id="rollbacks"></div></section>
</main>
<script>${CONSOLE_SCRIPT}</script></body></html>`;
}
