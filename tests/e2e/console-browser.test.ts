import { existsSync, mkdirSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NpmStart, npmStartDemo } from '../support/npm-start';

// A system Chromium (apt `chromium`, which .ci/run installs when it can); CHROMIUM_PATH overrides.
const chromiumPath = [
  process.env.CHROMIUM_PATH,
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
]
  .filter((path): path is string => Boolean(path))
  .find((path) => existsSync(path));
if (!chromiumPath) {
  console.warn(
    'NOTICE: no Chromium found (set CHROMIUM_PATH or apt-get install chromium): console browser test skipped',
  );
}

interface DoraStats {
  median?: number;
}
interface DoraSummary {
  deployments: number;
  changeFailures: number;
  changeFailureRate: number | null;
  leadTime: DoraStats;
  timeToRestore: DoraStats;
  gateBlocks: number;
  series: { deployments: number; changeFailures: number }[];
}
interface DoraResponse {
  overall: DoraSummary;
  pipelines: (DoraSummary & Place & { pipeline: string })[];
}
interface Place {
  account: string;
  region: string;
}
interface PipelineSummary extends Place {
  pipeline: string;
}

/** The console page of `npm start -- --demo` in a real headless browser: what it shows equals what the API says. */
describe.skipIf(!chromiumPath)('console page in headless Chromium', () => {
  let npmStart: NpmStart;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    npmStart = await npmStartDemo();
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // A Content-Security-Policy violation is reported as a console error: it must be none.
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    npmStart?.stop();
  });

  const open = async (fragment: string) => {
    await page.goto(`${npmStart.url}/${fragment}`);
    await page.reload(); // a fragment-only change does not reload; the page reads its selection on load
    await page.waitForSelector('body[data-loaded="true"]', { timeout: 15_000 });
  };
  /** Waits until the page has loaded a view whose URL fragment contains `part`. */
  const loadedView = (part: string) =>
    page.waitForFunction((expected) => {
      // Runs in the page; the test's TypeScript has no DOM types.
      const { dataset } = (
        globalThis as unknown as { document: { body: { dataset: Record<string, string> } } }
      ).document.body;
      return dataset.loaded === 'true' && (dataset.view ?? '').includes(expected);
    }, part);
  const tileValue = (testId: string) => page.getAttribute(`[data-testid="${testId}"]`, 'data-value');
  const dora = async (query: string) =>
    (await (await fetch(`${npmStart.url}/api/metrics/dora?${query}`)).json()) as DoraResponse;
  const asValue = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value);
  const catalog = async () =>
    ((await (await fetch(`${npmStart.url}/api/pipelines`)).json()) as { pipelines: PipelineSummary[] })
      .pipelines;
  /** The demo's checkout-service in the demo's own account: another account has a pipeline of that name. */
  const DEMO_CHECKOUT = { pipeline: 'checkout-service', account: '123456789012', region: 'us-east-1' };
  const placeOf = (place: Place) => `account=${place.account}&region=${place.region}`;

  it('shows the same DORA numbers, chart and per-pipeline rows as GET /api/metrics/dora', async () => {
    await open('#days=30&bucket=day');
    const api = await dora('bucket=day');

    expect(await tileValue('dora-deployments')).toBe(String(api.overall.deployments));
    expect(await tileValue('dora-change-failure-rate')).toBe(asValue(api.overall.changeFailureRate));
    // The page asks for "now minus 30 days" a moment after the test's request: medians agree to the minute.
    const minutes = async (testId: string) => Math.round(Number(await tileValue(testId)) / 60);
    expect(await minutes('dora-lead-time')).toBe(Math.round((api.overall.leadTime.median ?? 0) / 60));
    expect(await minutes('dora-time-to-restore')).toBe(
      Math.round((api.overall.timeToRestore.median ?? 0) / 60),
    );
    // Every catalogued pipeline deployed in the range: the overall numbers are the rows' sums.
    expect(api.pipelines).toHaveLength((await catalog()).length);
    const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
    expect(api.overall.deployments).toBe(sum(api.pipelines.map((p) => p.deployments)));
    expect(api.overall.changeFailures).toBe(sum(api.pipelines.map((p) => p.changeFailures)));

    const buckets = await page.$$eval('[data-testid="chart-bucket"]', (nodes) =>
      nodes.map((node) => [
        Number(node.getAttribute('data-deployments')),
        Number(node.getAttribute('data-failures')),
      ]),
    );
    expect(buckets.map(([deployments]) => deployments).reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(
      api.overall.deployments,
    );
    expect(buckets.map(([, failures]) => failures).reduce((a, b) => (a ?? 0) + (b ?? 0), 0)).toBe(
      api.overall.changeFailures,
    );
    expect(buckets.length).toBeGreaterThanOrEqual(30);

    const rows = await page.$$eval('[data-testid="dora-pipeline"]', (nodes) =>
      nodes.map((node) => [
        node.getAttribute('data-account'),
        node.getAttribute('data-region'),
        node.getAttribute('data-pipeline'),
        Number(node.getAttribute('data-deployments')),
        Number(node.getAttribute('data-change-failures')),
        Number(node.getAttribute('data-gate-blocks')),
      ]),
    );
    expect(rows).toEqual(
      api.pipelines.map((p) => [
        p.account,
        p.region,
        p.pipeline,
        p.deployments,
        p.changeFailures,
        p.gateBlocks,
      ]),
    );

    const policy = (await fetch(`${npmStart.url}/`)).headers.get('content-security-policy');
    expect(policy).toMatch(/default-src 'none'.*script-src 'sha256-[^']+'/);

    mkdirSync('tests/e2e/screenshots', { recursive: true });
    await page.screenshot({ path: 'tests/e2e/screenshots/console.png', fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('lists every pipeline with its latest execution, the approval waiting and the rollbacks section', async () => {
    await open('#days=30&bucket=day');
    const pipelines = await page.$$eval('[data-testid="pipeline"]', (nodes) =>
      nodes.map((node) => [
        node.getAttribute('data-account'),
        node.getAttribute('data-region'),
        node.getAttribute('data-pipeline'),
      ]),
    );
    // Every catalogued pipeline, each in its account and region (two accounts have a checkout-service).
    expect(pipelines).toEqual((await catalog()).map((p) => [p.account, p.region, p.pipeline]));
    expect(pipelines.filter(([, , name]) => name === 'checkout-service')).toHaveLength(2);
    // The stage timeline in the order the stages ran, whatever order the store returns them in.
    const checkoutStages = await page.$$eval(
      `[data-testid="pipeline"][data-pipeline="checkout-service"][data-account="${DEMO_CHECKOUT.account}"] [data-testid="stage"]`,
      (nodes) => nodes.map((node) => node.textContent),
    );
    expect(checkoutStages).toEqual(['Source', 'Build', 'Staging', 'Production']);
    // A latest execution's link names its pipeline's account and region: the name alone is ambiguous.
    const latest = await page.$$eval('[data-testid="pipeline"] [data-testid="open-execution"]', (nodes) =>
      nodes.map((node) => node.getAttribute('href') ?? ''),
    );
    expect(latest.length).toBeGreaterThan(0);
    expect(latest.every((href) => /account=[^&]+&region=[^&]+&pipeline=.+&execution=/.test(href))).toBe(true);
    // The demo's release approval, without its CodePipeline token anywhere on the page.
    const approvals = await page.$$eval('[data-testid="approval"]', (nodes) =>
      nodes.map((node) => node.textContent),
    );
    expect(approvals).toEqual([expect.stringContaining('payments-api')]);
    expect(approvals[0]).toContain('0 of 1');
    expect(await page.content()).not.toContain('demo-approval-token');
    // The demo's alarms: a rollback taken on payments-api, one observed on checkout-service.
    expect(await page.$$eval('[data-testid="rollback"]', (nodes) => nodes.length)).toBe(2);
  });

  it('shows free text from the API as text, never as markup', async () => {
    await page.route('**/api/approvals', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { approvals: Record<string, unknown>[] };
      for (const approval of body.approvals)
        approval.revision = { summary: '<img src=x onerror="alert(1)">&\'' };
      await route.fulfill({ response, json: body });
    });
    try {
      await open('#days=30&bucket=day');
      expect(await page.textContent('[data-testid="approval"]')).toContain(
        '<img src=x onerror="alert(1)">&\'',
      );
      expect(await page.$$eval('#approvals img', (nodes) => nodes.length)).toBe(0);
    } finally {
      await page.unroute('**/api/approvals');
    }
  });

  it('opens an execution: its actions on a timeline, revision and AWS console links, and keeps it in the URL', async () => {
    // A name in two accounts: the page offers the two (the per-pipeline routes answer 409 without one).
    await open('#days=30&bucket=day&pipeline=checkout-service');
    const choices = await page.$$eval('[data-testid="pipeline-choice"]', (nodes) =>
      nodes.map((node) => [node.getAttribute('data-account'), node.getAttribute('data-region')]),
    );
    expect(choices).toEqual(
      (await catalog()).filter((p) => p.pipeline === 'checkout-service').map((p) => [p.account, p.region]),
    );
    expect(await page.$$eval('[data-testid="execution"]', (nodes) => nodes.length)).toBe(0);
    await page.click(`[data-testid="pipeline-choice"][data-account="${DEMO_CHECKOUT.account}"] a`);
    await loadedView(placeOf(DEMO_CHECKOUT));
    await page.click('[data-testid="execution"]:nth-child(2) [data-testid="open-execution"]');
    await loadedView('execution=');
    expect(page.url()).toMatch(new RegExp(`${placeOf(DEMO_CHECKOUT)}&pipeline=checkout-service&execution=`));
    const actions = await page.$$eval('[data-testid="timeline-action"] th', (nodes) =>
      nodes.map((n) => n.textContent),
    );
    expect(actions).toEqual(['Source / Source', 'Build / Build', 'Staging / Deploy', 'Production / Deploy']);
    const links = await page.$$eval('[data-testid="execution-detail"] a[href^="https://"]', (nodes) =>
      nodes.map((node) => node.getAttribute('href') ?? ''),
    );
    expect(links.some((href) => href.startsWith('https://github.com/acme/checkout-service/commit/'))).toBe(
      true,
    );
    expect(links.some((href) => href.includes('.console.aws.amazon.com/codesuite/codepipeline/'))).toBe(true);
    expect(links.some((href) => href.includes('/codesuite/codedeploy/deployments/d-'))).toBe(true);
    // A reload shows the same execution: the selection is the URL.
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.isVisible('[data-testid="execution-detail"]')).toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('draws the chart across its card with axes, legend and dated ticks at every range', async () => {
    for (const days of [7, 30, 90, 365]) {
      await open(`#days=${days}&bucket=${days > 30 ? 'week' : 'day'}`);
      const chart = await page.$eval('#chart', (node) => ({
        card: node.getBoundingClientRect().width,
        svg: node.querySelector('svg')?.getBoundingClientRect().width ?? 0,
        ticks: node.querySelectorAll('text.tick').length,
        legend: node.querySelectorAll('.legend li').length,
        titles: [...node.querySelectorAll('text.axis-title')].map((t) => t.textContent),
      }));
      expect(chart.svg).toBeGreaterThan(chart.card - 2);
      expect(chart.legend).toBe(3);
      expect(chart.ticks).toBeGreaterThan(6);
      expect(chart.titles).toEqual([expect.stringContaining('deployments per'), 'median lead time']);
    }
    expect(pageErrors).toEqual([]);
  });

  it('is usable from the keyboard and passes axe (WCAG 2 A/AA, contrast included) at two widths', async () => {
    // axe is injected as a script, which the page's own policy rightly refuses: this context bypasses it.
    const context = await browser.newContext({ bypassCSP: true });
    const checked = await context.newPage();
    try {
      mkdirSync('tests/e2e/screenshots', { recursive: true });
      for (const [width, height] of [
        [1440, 1600],
        [420, 1600],
      ] as const) {
        await checked.setViewportSize({ width, height });
        await checked.goto(
          `${npmStart.url}/#days=7&bucket=day&${placeOf(DEMO_CHECKOUT)}&pipeline=checkout-service`,
        );
        await checked.waitForSelector('body[data-loaded="true"]');
        await checked.click('[data-testid="open-execution"]');
        await checked.waitForFunction(() =>
          (globalThis as unknown as { location: { hash: string } }).location.hash.includes('execution='),
        );
        await checked.waitForSelector('body[data-loaded="true"]');
        await checked.screenshot({ path: `tests/e2e/screenshots/console-${width}.png`, fullPage: true });
        await checked.addScriptTag({ path: 'node_modules/axe-core/axe.min.js' });
        const violations = (await checked.evaluate(
          `axe.run(document, { runOnly: ['wcag2a', 'wcag2aa'] }).then((r) => r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')))`,
        )) as string[];
        expect(violations, `at ${width} px`).toEqual([]);
      }
      // From a fresh load, Tab reaches the selectors, then the links.
      await checked.goto(`${npmStart.url}/#days=7&bucket=day`);
      await checked.reload();
      await checked.waitForSelector('body[data-loaded="true"]');
      const focused: string[] = [];
      for (let i = 0; i < 12; i++) {
        await checked.keyboard.press('Tab');
        focused.push(
          await checked.evaluate(
            `document.activeElement.id || document.activeElement.dataset.testid || document.activeElement.tagName`,
          ),
        );
      }
      expect(focused.slice(0, 7)).toEqual([
        'days',
        'bucket',
        'account',
        'region',
        'pipeline',
        'auto-refresh',
        'refresh',
      ]);
      expect(focused).toContain('A');
    } finally {
      await context.close();
    }
  });

  it('still loads when a catalogued pipeline has no execution left (expired, or deleted)', async () => {
    await page.route('**/api/pipelines', async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { pipelines: Record<string, unknown>[] };
      body.pipelines.push({
        pipeline: 'retired',
        lastExecutionAt: '2025-01-01T00:00:00.000Z',
        deletedAt: '2026-11-01T00:00:00.000Z',
      });
      await route.fulfill({ response, json: body });
    });
    try {
      await open('#days=30&bucket=day');
      expect(await page.textContent('[data-testid="pipeline"][data-pipeline="retired"]')).toContain(
        'no executions recorded (pipeline deleted)',
      );
      const api = await dora('bucket=day');
      expect(await tileValue('dora-deployments')).toBe(String(api.overall.deployments));
    } finally {
      await page.unroute('**/api/pipelines');
    }
  });

  it('filters by account and region (kept in the URL): only that account’s pipelines, approvals and rollbacks', async () => {
    const DEMO = DEMO_CHECKOUT.account;
    // The demo's spoke account: its checkout-service has the same name as the demo's own.
    const SPOKE = '222222222222';
    const known = await catalog();
    const rowsOf = (testId: string) =>
      page.$$eval(`[data-testid="${testId}"]`, (nodes) =>
        nodes.map((node) => [node.getAttribute('data-account'), node.getAttribute('data-region')]),
      );
    await open('#days=30&bucket=day');
    const everyAccount = await rowsOf('pipeline');
    expect(everyAccount.map(([account]) => account)).toEqual(expect.arrayContaining([DEMO, SPOKE]));
    // The approval's account is its topic's (local mode's own account), the rollbacks' their alarms'.
    const approvals = await rowsOf('approval');
    expect(approvals).toHaveLength(1);
    const rollbacks = await rowsOf('rollback');
    expect(rollbacks).toHaveLength(2);

    await page.selectOption('[data-testid="account-filter"]', SPOKE);
    await loadedView(`account=${SPOKE}`);
    const spokeRows = known.filter((p) => p.account === SPOKE).map((p) => [p.account, p.region]);
    expect(spokeRows.length).toBeGreaterThan(0);
    expect(await rowsOf('pipeline')).toEqual(spokeRows);
    expect(await rowsOf('approval')).toEqual([]);
    expect(await rowsOf('rollback')).toEqual([]);
    const spokeDora = await dora(`bucket=day&account=${SPOKE}`);
    expect(await rowsOf('dora-pipeline')).toEqual(spokeDora.pipelines.map((p) => [p.account, p.region]));
    expect(await tileValue('dora-deployments')).toBe(String(spokeDora.overall.deployments));

    await page.selectOption('[data-testid="account-filter"]', DEMO);
    await page.selectOption('[data-testid="region-filter"]', 'us-east-1');
    await loadedView('region=us-east-1');
    expect(page.url()).toContain(`account=${DEMO}`);
    const demoRows = await rowsOf('pipeline');
    expect(demoRows).toEqual(
      known.filter((p) => p.account === DEMO && p.region === 'us-east-1').map((p) => [p.account, p.region]),
    );
    expect(demoRows.every(([account, region]) => account === DEMO && region === 'us-east-1')).toBe(true);
    expect((await rowsOf('dora-pipeline')).every(([account]) => account === DEMO)).toBe(true);
    const demoDora = await dora(`bucket=day&account=${DEMO}&region=us-east-1`);
    expect(await tileValue('dora-deployments')).toBe(String(demoDora.overall.deployments));
    const inDemo = ([account, region]: (string | null)[]) => account === DEMO && region === 'us-east-1';
    expect(await rowsOf('approval')).toEqual(approvals.filter(inDemo));
    expect(await rowsOf('rollback')).toEqual(rollbacks.filter(inDemo));
    // The selection is the URL: a reload keeps the filters.
    await page.reload();
    await page.waitForSelector('body[data-loaded="true"]');
    expect(await page.inputValue('[data-testid="account-filter"]')).toBe(DEMO);
    expect(pageErrors).toEqual([]);
  });

  it('follows the selectors: weekly buckets and one pipeline, each equal to the API', async () => {
    await open('#days=30&bucket=day');
    await page.selectOption('[data-testid="bucket"]', 'week');
    await loadedView('bucket=week');
    // One choice per pipeline in its account and region: choosing one sets the account and region filters.
    const option = new URLSearchParams(DEMO_CHECKOUT).toString();
    await page.selectOption('[data-testid="pipeline-filter"]', option);
    await loadedView('pipeline=checkout-service');
    expect(page.url()).toContain(`${placeOf(DEMO_CHECKOUT)}&pipeline=checkout-service`);
    expect(await page.inputValue('[data-testid="pipeline-filter"]')).toBe(option);

    const api = await dora(`bucket=week&pipeline=checkout-service&${placeOf(DEMO_CHECKOUT)}`);
    expect(await tileValue('dora-deployments')).toBe(String(api.overall.deployments));
    expect(await tileValue('dora-change-failure-rate')).toBe(asValue(api.overall.changeFailureRate));
    expect(await page.$$eval('[data-testid="chart-bucket"]', (nodes) => nodes.length)).toBe(
      api.overall.series.length,
    );
    expect(api.overall.deployments).toBe(3);
    // One pipeline selected: its recent executions instead of the pipeline list.
    const { executions } = (await (
      await fetch(`${npmStart.url}/api/pipelines/checkout-service/executions?${placeOf(DEMO_CHECKOUT)}`)
    ).json()) as { executions: unknown[] };
    expect(await page.$$eval('[data-testid="execution"]', (nodes) => nodes.length)).toBe(executions.length);
    expect(page.url()).toContain('bucket=week');
    expect(pageErrors).toEqual([]);
  });
});
