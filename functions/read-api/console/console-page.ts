import { createHash } from 'node:crypto';
import { CONSOLE_SCRIPT } from './console-script';

const STYLE = `
:root{--ok:#1a7f37;--bad:#cf222e;--busy:#9a6700;--muted:#57606a;--line:#d8dee4;--accent:#0969da}
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f8fa}
header{display:flex;flex-wrap:wrap;gap:1rem;align-items:center;padding:1rem 2rem;background:#fff;border-bottom:1px solid var(--line)}
header h1{font-size:1.15rem;margin:0 auto 0 0} label{color:var(--muted)} select{margin-left:.3rem;font:inherit}
main{padding:1rem 2rem;max-width:1200px} h2{font-size:1rem;margin:1.6rem 0 .5rem}
section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.2rem 1rem 1rem;margin-bottom:1rem}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(200px,1fr));gap:.8rem}
.tile{background:#fff;border:1px solid var(--line);border-radius:6px;padding:.8rem 1rem}
.tile .label{color:var(--muted)} .tile .value{font-size:1.8rem;font-weight:600} .tile .detail{color:var(--muted);font-size:12px}
svg{width:100%;max-width:760px;height:auto} svg text{font-size:11px;fill:var(--muted)}
rect.deployments{fill:#54aeff} rect.failures{fill:var(--bad)} polyline.lead{fill:none;stroke:var(--busy);stroke-width:2} line.axis{stroke:var(--line)}
table{border-collapse:collapse;width:100%} td,th{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums} code{font-size:12px} a{color:var(--accent)}
.chip{display:inline-block;padding:0 .45rem;border-radius:10px;font-size:12px;background:#eaeef2}
.arrow{color:var(--muted);margin:0 .2rem}
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
 * and pipeline selectors, the pipelines and their latest executions, approvals waiting and rollback decisions.
 * The selection lives in the URL fragment, so a view can be bookmarked and shared.
 */
export function consolePage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>pipeline-control-plane</title><style>${STYLE}</style></head>
<body data-loaded="false">
<header><h1>pipeline-control-plane</h1>
<label>Range<select id="days" data-testid="range"><option value="7">7 days</option><option value="30">30 days</option><option value="90">90 days</option><option value="365">365 days</option></select></label>
<label>Bucket<select id="bucket" data-testid="bucket"><option value="day">day</option><option value="week">week</option></select></label>
<label>Pipeline<select id="pipeline" data-testid="pipeline-filter"><option value="">All pipelines</option></select></label>
<span id="status" data-testid="status"></span></header>
<main>
<h2>Delivery metrics (DORA)</h2>
<div class="tiles" id="tiles"></div>
<section><h2>Deployments and change failures</h2><div id="chart" data-testid="chart"></div></section>
<section><h2>Per pipeline</h2><div id="per-pipeline"></div></section>
<section><h2>Pipelines</h2><div id="pipelines"></div></section>
<section><h2>Approvals waiting</h2><div id="approvals"></div></section>
<section><h2>Rollback decisions</h2><div id="rollbacks"></div></section>
</main>
<script>${CONSOLE_SCRIPT}</script></body></html>`;
}
