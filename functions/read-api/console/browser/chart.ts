import type { Bucket } from './api-types';
import { duration, esc } from './format';

const HEIGHT = 260;
const MARGIN = { top: 16, right: 64, bottom: 44, left: 48 };

/** 1, 2 or 5 times a power of ten: the step that gives about `count` ticks up to `max`. */
export function niceStep(max: number, count = 4): number {
  const raw = Math.max(max, 1) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? raw;
  return Math.max(step, 1);
}

/** Lead-time ticks in a unit a person reads (minutes, hours, days). */
function leadTimeStep(maxSeconds: number): number {
  const steps = [60, 300, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400, 172800, 604800];
  return steps.find((step) => maxSeconds / step <= 5) ?? 604800;
}

const dayLabel = (iso: string, withYear: boolean) =>
  new Date(iso).toLocaleDateString(undefined, {
    month: 'short',
    day: 'numeric',
    ...(withYear ? { year: 'numeric' } : {}),
    timeZone: 'UTC',
  });

/**
 * Deployments per bucket as bars with the failed ones over them, median lead time as a line on its own
 * (right) axis; both axes labelled, dates ticked along the bottom, a legend above. Drawn at the width of its
 * container, so it fills the card at any window width.
 */
export function renderChart(container: HTMLElement, series: Bucket[], bucket: string): void {
  const width = Math.max(320, Math.round(container.clientWidth || 960));
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const n = Math.max(series.length, 1);
  const step = plotWidth / n;
  const barWidth = Math.max(1, Math.min(step * 0.7, 40));

  const countStep = niceStep(Math.max(...series.map((s) => s.deployments), 1));
  const countMax = Math.max(
    countStep,
    Math.ceil(Math.max(...series.map((s) => s.deployments), 1) / countStep) * countStep,
  );
  const leads = series.map((s) => s.leadTime.median).filter((v): v is number => typeof v === 'number');
  const leadStep = leadTimeStep(Math.max(...leads, 60));
  const leadMax = Math.max(leadStep, Math.ceil(Math.max(...leads, 60) / leadStep) * leadStep);
  const y = (count: number) => MARGIN.top + plotHeight - (count / countMax) * plotHeight;
  const yLead = (seconds: number) => MARGIN.top + plotHeight - (seconds / leadMax) * plotHeight;
  const x = (index: number) => MARGIN.left + index * step + step / 2;

  let grid = '';
  for (let count = 0; count <= countMax; count += countStep) {
    grid += `<line class="grid" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${y(count)}" y2="${y(count)}"/>`;
    grid += `<text class="tick" x="${MARGIN.left - 6}" y="${y(count) + 4}" text-anchor="end">${count}</text>`;
  }
  for (let seconds = 0; seconds <= leadMax; seconds += leadStep) {
    grid += `<text class="tick lead" x="${width - MARGIN.right + 6}" y="${yLead(seconds) + 4}">${esc(duration(seconds))}</text>`;
  }

  // About one date label per 80 px, always on whole buckets.
  const every = Math.max(1, Math.ceil(n / Math.max(1, Math.floor(plotWidth / 80))));
  const spansYears = series.length > 0 && series[0]?.start.slice(0, 4) !== series.at(-1)?.start.slice(0, 4);
  let ticks = '';
  series.forEach((s, i) => {
    if (i % every !== 0) return;
    ticks += `<line class="axis" x1="${x(i)}" x2="${x(i)}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight + 4}"/>`;
    ticks += `<text class="tick" x="${x(i)}" y="${MARGIN.top + plotHeight + 18}" text-anchor="middle">${esc(dayLabel(s.start, spansYears))}</text>`;
  });

  let bars = '';
  const points: string[] = [];
  series.forEach((s, i) => {
    const left = x(i) - barWidth / 2;
    const label = `${s.start.slice(0, 10)}: ${s.deployments} deployments, ${s.changeFailures} failed, lead time ${duration(s.leadTime.median)}`;
    bars +=
      `<g data-testid="chart-bucket" data-deployments="${s.deployments}" data-failures="${s.changeFailures}"><title>${esc(label)}</title>` +
      `<rect class="deployments" x="${left.toFixed(1)}" y="${y(s.deployments).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(s.deployments)).toFixed(1)}"/>` +
      `<rect class="failures" x="${left.toFixed(1)}" y="${y(s.changeFailures).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(MARGIN.top + plotHeight - y(s.changeFailures)).toFixed(1)}"/></g>`;
    if (s.leadTime.median !== undefined)
      points.push(`${x(i).toFixed(1)},${yLead(s.leadTime.median).toFixed(1)}`);
  });
  const markers = points
    .map((p) => `<circle class="lead" cx="${p.split(',')[0]}" cy="${p.split(',')[1]}" r="3"/>`)
    .join('');

  const axes =
    `<line class="axis" x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${MARGIN.top + plotHeight}" y2="${MARGIN.top + plotHeight}"/>` +
    `<text class="axis-title" transform="translate(12 ${MARGIN.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">deployments per ${esc(bucket)}</text>` +
    `<text class="axis-title" transform="translate(${width - 8} ${MARGIN.top + plotHeight / 2}) rotate(90)" text-anchor="middle">median lead time</text>`;

  container.innerHTML =
    `<ul class="legend" aria-hidden="true"><li><span class="swatch deployments"></span>Deployments</li>` +
    `<li><span class="swatch failures"></span>Change failures</li><li><span class="swatch lead"></span>Median lead time (right axis)</li></ul>` +
    `<svg viewBox="0 0 ${width} ${HEIGHT}" width="${width}" height="${HEIGHT}" role="img" aria-label="Deployments, change failures and median lead time per ${esc(bucket)}">` +
    grid +
    axes +
    ticks +
    bars +
    (points.length > 1 ? `<polyline class="lead" points="${points.join(' ')}"/>` : '') +
    markers +
    '</svg>';
}
