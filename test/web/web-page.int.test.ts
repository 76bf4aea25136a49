import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countEvents, waitFor } from '../support/graph-queries.js';
import { uniqueName } from '../support/infra-endpoints.js';
import { createTestTopic } from '../support/kafka-test-topics.js';
import { produceRaw } from '../support/produce-raw.js';
import { TrackerProcess } from '../support/tracker-process.js';

// The web page in a real browser (Debian's chromium driven by playwright-core) against a real
// tracker fed through Kafka: a violating node is highlighted, an alert leads to its path, and new
// alerts arrive live.
const root = fileURLToPath(new URL('../..', import.meta.url));
const CHROMIUM = process.env.BORDERLINE_CHROMIUM ?? '/usr/bin/chromium';
const run = uniqueName('web');
const label = `${run}-us-data`;
const ns = `pg://${run}`;
const backupNs = `s3://${run}-backup-sg`;
const T = (s: number) => new Date(Date.parse('2026-11-22T10:00:00Z') + s * 1000).toISOString();
const event = (n: number, at: number, from: object, to: object) => ({
  specVersion: '1.0',
  eventId: `${run}-${n}`,
  eventTime: T(at),
  operation: 'copy',
  inputs: [from],
  outputs: [to],
});
const nodeId = (namespace: string, name: string) => `dataset/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;

let tracker: TrackerProcess;
let browser: Browser;
let page: Page;
let eventsTopic = '';

/** A drawn node as Cytoscape has it: its classes and its label. */
const drawnNode = (id: string) =>
  page.evaluate((nodeIdToRead) => {
    const node = (
      globalThis as unknown as { borderlineGraph: { $id(id: string): { classes(): string[]; data(k: string): string } } }
    ).borderlineGraph.$id(nodeIdToRead);
    return { classes: node.classes(), label: node.data('label') };
  }, id);

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium (apt-get install chromium) or set BORDERLINE_CHROMIUM`);
  if (!existsSync(join(root, 'dist/web/index.html'))) {
    expect(spawnSync('npx', ['vite', 'build'], { cwd: root, stdio: 'inherit' }).status).toBe(0);
  }
  eventsTopic = await createTestTopic(`${run}-events`, 3);
  const policyFile = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(
    policyFile,
    `policies:
  - { id: ${run}-us, classifications: [${label}], severity: critical, allowed: [{ provider: oci, regions: [us-ashburn-1, us-phoenix-1] }] }
stores:
  - { namespace: "${backupNs}", provider: aws, region: ap-southeast-1 }
`,
  );
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policyFile,
    BORDERLINE_EVENTS_TOPIC: eventsTopic,
    BORDERLINE_ALERTS_TOPIC: `${run}-alerts`,
    BORDERLINE_DLQ_TOPIC: `${run}-dlq`,
    BORDERLINE_GROUP_ID: `${run}-group`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  const story = [
    event(
      1,
      0,
      { namespace: ns, name: 'profiles', provider: 'oci', region: 'us-ashburn-1', classifications: [label] },
      { namespace: ns, name: 'replica', provider: 'oci', region: 'us-phoenix-1' },
    ),
    event(2, 10, { namespace: ns, name: 'replica' }, { namespace: ns, name: 'legacy', provider: 'aws', region: 'us-east-1' }),
    event(3, 20, { namespace: ns, name: 'legacy' }, { namespace: backupNs, name: 'nightly' }),
  ];
  await produceRaw(
    eventsTopic,
    story.map((e) => ({ key: e.eventId, value: JSON.stringify(e) })),
  );
  await waitFor(
    'the story written',
    () => countEvents(`${run}-`),
    (n) => n === story.length,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await tracker?.kill('SIGTERM');
});

describe('the web page', () => {
  it('shows the alerts, highlights the violating node, and follows an alert to its path', async () => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`http://127.0.0.1:${tracker.port}/`);
    const alert = page.locator('#alerts li', { hasText: `${backupNs} nightly` });
    await alert.waitFor({ timeout: 30_000 });
    await alert.click();

    const steps = page.locator('#path-steps li');
    await expect.poll(() => steps.count(), { timeout: 15_000 }).toBe(4);
    expect(await steps.nth(2).innerText()).toContain(`${ns} legacy (aws us-east-1)`);
    expect(await steps.nth(3).innerText()).toContain(`${backupNs} nightly (aws ap-southeast-1)`);
    expect(await page.locator('#graph-title').innerText()).toContain(`Violation of ${run}-us`);

    const backup = nodeId(backupNs, 'nightly');
    await expect.poll(() => page.locator('#graph').getAttribute('data-violating'), { timeout: 15_000 }).toContain(backup);
    const classesOf = async (id: string) => (await drawnNode(id)).classes;
    expect(await classesOf(backup)).toEqual(expect.arrayContaining(['violating', 'on-path', 'focus']));
    expect(await classesOf(nodeId(ns, 'legacy'))).toEqual(expect.arrayContaining(['on-path', 'violating'])); // AWS Virginia: not OCI
    expect(await classesOf(nodeId(ns, 'replica'))).toContain('on-path');
    expect(await classesOf(nodeId(ns, 'replica'))).not.toContain('violating'); // OCI Phoenix is allowed
    const onPathEdges = await page.evaluate(
      () =>
        (globalThis as unknown as { borderlineGraph: { edges(s: string): { length: number } } }).borderlineGraph.edges('.on-path').length,
    );
    expect(onPathEdges).toBe(3);
    expect((await drawnNode(backup)).label).toBe(`nightly\n${backupNs}`); // the name, then the namespace it lives in

    mkdirSync(join(root, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(root, 'test-results/web-page.png') });
    expect(errors).toEqual([]);
  }, 90_000);

  it('adds a new alert to the list live, without a reload', async () => {
    await expect.poll(() => page.locator('#live').getAttribute('class'), { timeout: 20_000 }).toContain('on');
    const late = event(
      4,
      30,
      { namespace: ns, name: 'profiles' },
      { namespace: ns, name: 'frankfurt-extract', provider: 'aws', region: 'eu-central-1' },
    );
    await produceRaw(eventsTopic, [{ key: late.eventId, value: JSON.stringify(late) }]);
    await page.locator('#alerts li', { hasText: `${ns} frankfurt-extract` }).waitFor({ timeout: 30_000 });
  }, 60_000);

  it('filters the alerts on the server, with true totals in the header and the pager', async () => {
    const api = async (params: string) =>
      (await (await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts?${params}`)).json()) as {
        total: number;
        counts: { open: number; remediated: number };
      };
    const all = await api('limit=1');
    // The header counts every alert in the graph (other tests' too), not the page it shows.
    await expect
      .poll(() => page.locator('#alert-count').innerText())
      .toBe(`${all.counts.open.toLocaleString('en')} open · ${all.counts.remediated.toLocaleString('en')} remediated`);
    expect(await page.locator('#alerts li').count()).toBeLessThanOrEqual(50); // one page, however many there are
    await page.fill('#filter-text', `${run} frankfurt`);
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–1 of 1');
    expect(await page.locator('#alerts li').first().innerText()).toContain(`${ns} frankfurt-extract`);
    await page.fill('#filter-text', run);
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–3 of 3'); // legacy, backup, Frankfurt
    await page.selectOption('#filter-status', 'remediated');
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('0 alerts');
    await page.selectOption('#filter-status', '');
    await page.fill('#filter-text', '');
    await expect.poll(() => page.locator('#alert-count').innerText()).toContain(`${all.counts.open.toLocaleString('en')} open`);
  }, 60_000);

  it('shows the answer to the latest filter when the answer to an earlier one comes late', async () => {
    const range = () => page.locator('#alert-range').innerText();
    const answered = async () => Number(await page.locator('#alert-range').getAttribute('data-answered'));
    await page.fill('#filter-text', run);
    await expect.poll(range, { timeout: 10_000 }).toBe('1–3 of 3');
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const remediatedList = (url: URL) => url.pathname === '/api/v1/alerts' && url.searchParams.get('status') === 'remediated';
    await page.route(remediatedList, async (route) => {
      await held; // the server is slow to answer this one
      await route.continue();
    });
    const before = await answered();
    await page.selectOption('#filter-status', 'remediated');
    await page.selectOption('#filter-status', 'open');
    await expect.poll(answered, { timeout: 10_000 }).toBe(before + 1); // the later filter's answer, drawn
    expect(await range()).toBe('1–3 of 3');
    release();
    await expect.poll(answered, { timeout: 10_000 }).toBe(before + 2); // the earlier one's, come late
    expect(await range()).toBe('1–3 of 3'); // not "0 alerts"
    await page.unroute(remediatedList);
    await page.selectOption('#filter-status', '');
    await page.fill('#filter-text', '');
  }, 60_000);

  it('acknowledges an alert with a note from the page, shows who did it, and filters by triage (docs/contract.md §12)', async () => {
    await page.fill('#filter-text', `${run} nightly`);
    const alert = page.locator('#alerts li', { hasText: `${backupNs} nightly` });
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–1 of 1');
    await alert.click();
    await expect.poll(() => page.locator('#triage-state').innerText()).toBe('Not acknowledged');
    await page.click('#triage-ack'); // without a note: the form does not send
    expect(await page.locator('#triage-message').innerText()).toBe('');
    await page.fill('#triage-note', 'ticket DP-123: backup to be deleted by the storage team');
    await page.fill('#triage-assignee', 'storage-team');
    await page.click('#triage-ack');
    await expect.poll(() => page.locator('#triage-message').innerText(), { timeout: 10_000 }).toBe('Acknowledged.');
    expect(await page.locator('#triage-state').innerText()).toBe('Acknowledged, assigned to storage-team');
    expect(await page.locator('#triage-history li').first().innerText()).toMatch(
      /local: acknowledged → storage-team — ticket DP-123: backup to be deleted/,
    );
    expect(await alert.innerText()).toContain('ACKNOWLEDGED · STORAGE-TEAM'); // the badge, upper-cased by the style
    expect(
      await page.evaluate(
        () => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id,
      ),
    ).toBe('triage-note'); // the focus stays in the form
    expect(await page.locator('#triage-ack').isDisabled()).toBe(true);
    const stored = (await (
      await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts/${await alert.getAttribute('data-alert-id')}`)
    ).json()) as { status: string; triage: { state: string; history: Array<{ by: string; note: string }> } };
    expect(stored.status).toBe('open'); // triage never changes the status
    expect(stored.triage.state).toBe('acknowledged');
    expect(stored.triage.history.map((h) => h.by)).toEqual(['local']);
    await page.fill('#filter-text', run);
    await page.selectOption('#filter-triage', 'acknowledged');
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–1 of 1');
    await page.selectOption('#filter-triage', 'open');
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–2 of 2');
    await page.selectOption('#filter-triage', '');
    await page.fill('#filter-text', '');
  }, 60_000);

  it('finds a dataset with the search box and draws its lineage', async () => {
    await page.fill('#search-text', `${run}`);
    const result = page.locator('#search-results li', { hasText: `${ns} replica` });
    await result.waitFor({ timeout: 10_000 });
    await result.click();
    await expect.poll(() => page.locator('#graph-title').innerText()).toContain(`Lineage of ${ns} replica`);
    const nodes = await page.evaluate(
      () =>
        (globalThis as unknown as { borderlineGraph: { nodes(s: string): { length: number } } }).borderlineGraph.nodes(':childless').length,
    );
    expect(nodes).toBeGreaterThanOrEqual(4); // profiles upstream; legacy and the backup downstream
  }, 60_000);

  it('describes the picked dataset: where it is and how we know, its labels and alerts', async () => {
    await page.evaluate(
      (id) => {
        (globalThis as unknown as { borderlineGraph: { $id(id: string): { emit(e: string): void } } }).borderlineGraph.$id(id).emit('tap'); // returns nothing: a Cytoscape collection does not serialise
      },
      nodeId(backupNs, 'nightly'),
    );
    const detail = page.locator('#node-detail-body');
    await expect.poll(() => detail.innerText(), { timeout: 10_000 }).toContain(`${backupNs} nightly`);
    const text = await detail.innerText();
    expect(text).toContain('aws ap-southeast-1 (SG)');
    expect(text).toContain("from the policy's store catalog");
    expect(text).toContain(`${label} since`);
    expect(text).toContain(`open: ${run}-us (critical)`);
  }, 60_000);

  it('draws repeated movements between two datasets as one edge with their count, and says when they happened on a tap', async () => {
    const again = [5, 6].map((n) =>
      event(n, 40 + n, { namespace: ns, name: 'profiles' }, { namespace: ns, name: 'replica', provider: 'oci', region: 'us-phoenix-1' }),
    );
    await produceRaw(
      eventsTopic,
      again.map((e) => ({ key: e.eventId, value: JSON.stringify(e) })),
    );
    await waitFor(
      'the repeated copies written',
      () => countEvents(`${run}-`),
      (n) => n === 6,
    );
    await page.fill('#search-text', `${run}`);
    const result = page.locator('#search-results li', { hasText: `${ns} replica` });
    await result.waitFor({ timeout: 10_000 });
    await result.click();
    const edgeId = `${nodeId(ns, 'profiles')}|${nodeId(ns, 'replica')}|copy`;
    const drawn = () =>
      page.evaluate((id) => {
        const cy = (globalThis as unknown as { borderlineGraph: { $id(id: string): { length: number; data(k: string): unknown } } })
          .borderlineGraph;
        const e = cy.$id(id);
        return e.length === 0 ? null : { label: e.data('label'), count: e.data('count') };
      }, edgeId);
    await expect.poll(drawn, { timeout: 10_000 }).toEqual({ label: 'copy ×3', count: 3 });
    const between = await page.evaluate(
      (ids) =>
        (globalThis as unknown as { borderlineGraph: { edges(s: string): { length: number } } }).borderlineGraph.edges(
          `[source = "${ids[0]}"][target = "${ids[1]}"]`,
        ).length,
      [nodeId(ns, 'profiles'), nodeId(ns, 'replica')],
    );
    expect(between).toBe(1);
    await page.evaluate((id) => {
      (globalThis as unknown as { borderlineGraph: { $id(id: string): { emit(e: string): void } } }).borderlineGraph.$id(id).emit('tap');
    }, edgeId);
    await expect
      .poll(() => page.locator('#edge-detail-text').innerText())
      .toBe(`3 copy movements from profiles to replica: first ${T(0)}, last ${T(46)}`);
    // Expanded on demand: each movement the edge stands for, in time order.
    await page.click('#edge-movements summary');
    expect(await page.locator('#edge-movements li').allInnerTexts()).toEqual([
      `${T(0)} — event ${run}-1`,
      `${T(45)} — event ${run}-5`,
      `${T(46)} — event ${run}-6`,
    ]);
  }, 60_000);

  it('gives each alert and dataset an address: Back and Forward walk through them, and a link opens one directly', async () => {
    await page.fill('#filter-text', `${run} nightly`);
    const alert = page.locator('#alerts li', { hasText: `${backupNs} nightly` });
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–1 of 1');
    const alertId = (await alert.getAttribute('data-alert-id'))!;
    await alert.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain(`#/alert/${alertId}`);
    await expect.poll(() => page.locator('#graph-title').innerText()).toContain(`Violation of ${run}-us`);
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { dataset: { alertId?: string } } | null } }).document.activeElement
            ?.dataset.alertId,
      ),
    ).toBe(alertId); // focus stays on the alert
    await page.fill('#search-text', `${run}`);
    const result = page.locator('#search-results li', { hasText: `${ns} replica` });
    await result.waitFor({ timeout: 10_000 });
    await result.click();
    await expect.poll(() => page.url()).toContain(`#/dataset/${encodeURIComponent(ns)}/replica`);
    await expect.poll(() => page.locator('#graph-title').innerText()).toContain(`Lineage of ${ns} replica`);
    await page.goBack();
    await expect.poll(() => page.locator('#graph-title').innerText(), { timeout: 10_000 }).toContain(`Violation of ${run}-us`);
    expect(page.url()).toContain(`#/alert/${alertId}`);
    await page.goForward();
    await expect.poll(() => page.locator('#graph-title').innerText(), { timeout: 10_000 }).toContain(`Lineage of ${ns} replica`);
    await page.fill('#filter-text', '');

    // A link someone sent: a fresh page opens on that alert, though it is not on the first page of the list.
    const fresh = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    try {
      await fresh.goto(`http://127.0.0.1:${tracker.port}/#/alert/${alertId}`);
      await expect.poll(() => fresh.locator('#graph-title').innerText(), { timeout: 20_000 }).toContain(`${backupNs} nightly`);
      await expect.poll(() => fresh.locator('#path-steps li').count(), { timeout: 15_000 }).toBe(4);
      await fresh.goto(`http://127.0.0.1:${tracker.port}/#/dataset/${encodeURIComponent(ns)}/legacy`);
      await fresh.reload();
      await expect.poll(() => fresh.locator('#graph-title').innerText(), { timeout: 20_000 }).toContain(`Lineage of ${ns} legacy`);
    } finally {
      await fresh.close();
    }
  }, 90_000);

  it('exports the graph as PNG and the filtered alerts and the residency as CSV; a skip link leads to the alerts', async () => {
    const saved = async (button: string) => {
      const [file] = await Promise.all([page.waitForEvent('download', { timeout: 20_000 }), page.click(button)]);
      const path = await file.path();
      return { name: file.suggestedFilename(), bytes: readFileSync(path) };
    };
    const png = await saved('#export-png');
    expect(png.name).toBe('borderline-lineage.png');
    expect(png.bytes.subarray(1, 4).toString()).toBe('PNG');
    await page.fill('#filter-text', run);
    await expect.poll(() => page.locator('#alert-range').innerText(), { timeout: 10_000 }).toBe('1–3 of 3');
    const csv = await saved('#export-alerts');
    expect(csv.name).toBe('borderline-alerts.csv');
    const lines = csv.bytes.toString('utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^alertId,status,policyId,severity,reason,classifications,kind,namespace,name/);
    expect(lines).toHaveLength(4); // the header and the three alerts the filter matches, not the page's 50
    expect(lines.some((l) => l.includes(`${backupNs},nightly`))).toBe(true);
    await expect.poll(() => page.locator('#status').innerText()).toBe('exported 3 alerts');
    await page.fill('#filter-text', '');
    const residency = await saved('#export-residency');
    expect(residency.name).toBe(`borderline-residency-${label}.csv`);
    expect(residency.bytes.toString('utf8')).toContain(`${label},dataset,${backupNs},nightly`);

    await page.goto(`http://127.0.0.1:${tracker.port}/`);
    await page.keyboard.press('Tab');
    expect(await page.locator('.skip-link').evaluate((a) => (a as unknown as { matches(s: string): boolean }).matches(':focus'))).toBe(
      true,
    );
    await page.keyboard.press('Enter');
    await expect
      .poll(() =>
        page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } | null } }).document.activeElement?.id),
      )
      .toBe('alerts-heading');
  }, 90_000);

  it('works on a phone (390×844) and follows its panel when the window changes: one column, the graph as wide as the screen', async () => {
    const found = (await (
      await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts?${new URLSearchParams({ q: `${run} nightly` }).toString()}`)
    ).json()) as { alerts: Array<{ alertId: string }> };
    const alertId = found.alerts[0]!.alertId;
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    type Doc = { document: { documentElement: { scrollWidth: number } } };
    type Cy = { borderlineGraph: { width(): number; height(): number } };
    try {
      await phone.goto(`http://127.0.0.1:${tracker.port}/#/alert/${alertId}`);
      await expect.poll(() => phone.locator('#path-steps li').count(), { timeout: 20_000 }).toBe(4);
      const graphBox = (await phone.locator('#graph').boundingBox())!;
      expect(graphBox.width).toBeGreaterThan(350);
      expect(graphBox.height).toBeGreaterThan(400);
      expect((await phone.locator('header').boundingBox())!.height).toBeLessThan(200);
      expect(await phone.evaluate(() => (globalThis as unknown as Doc).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await expect.poll(() => phone.evaluate(() => (globalThis as unknown as Cy).borderlineGraph.width())).toBeCloseTo(graphBox.width, -1);
      mkdirSync(join(root, 'test-results'), { recursive: true });
      await phone.screenshot({ path: join(root, 'test-results/web-page-390x844.png'), fullPage: true });
      // Wider: the canvas follows the panel instead of keeping the phone's size.
      await phone.setViewportSize({ width: 1024, height: 768 });
      const wide = (await phone.locator('#graph').boundingBox())!;
      expect(wide.width).toBeGreaterThan(500);
      await expect.poll(() => phone.evaluate(() => (globalThis as unknown as Cy).borderlineGraph.width())).toBeCloseTo(wide.width, -1);
      await expect.poll(() => phone.evaluate(() => (globalThis as unknown as Cy).borderlineGraph.height())).toBeCloseTo(wide.height, -1);
      await phone.screenshot({ path: join(root, 'test-results/web-page-1024x768.png') });
    } finally {
      await phone.close();
    }
  }, 60_000);

  it('ranks the search: "namespace name" as the page shows it finds the dataset first; arrows and Enter open it; the API pages with a total', async () => {
    await page.goto(`http://127.0.0.1:${tracker.port}/`);
    await page.fill('#search-text', `${ns} profiles`);
    const first = page.locator('#search-results li.result').first();
    await expect.poll(() => first.innerText(), { timeout: 10_000 }).toBe(`${ns} profiles`);
    expect(await page.locator('#search-results li.summary').innerText()).toMatch(/^1 of 1 datasets$/);
    await page.focus('#search-text');
    await page.keyboard.press('ArrowDown');
    expect(await first.evaluate((li) => (li as unknown as { matches(s: string): boolean }).matches(':focus'))).toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#graph-title').innerText(), { timeout: 10_000 }).toContain(`Lineage of ${ns} profiles`);
    expect(page.url()).toContain(`#/dataset/${encodeURIComponent(ns)}/profiles`);

    const search = async (params: Record<string, string>) =>
      (await (await fetch(`http://127.0.0.1:${tracker.port}/api/v1/datasets?${new URLSearchParams(params).toString()}`)).json()) as {
        datasets: Array<{ name: string }>;
        total: number;
        offset: number;
        truncated: boolean;
      };
    const all = await search({ q: run, limit: '100' });
    expect(all.total).toBe(5); // profiles, replica, legacy, frankfurt-extract and the backup
    const second = await search({ q: run, offset: '2', limit: '2' });
    expect(second).toMatchObject({ total: 5, offset: 2, truncated: true });
    expect(second.datasets.map((d) => d.name)).toEqual(all.datasets.slice(2, 4).map((d) => d.name));
  }, 60_000);

  it('gives the drawn lineage as a table too, for the keyboard and screen readers, the alert path marked', async () => {
    const found = (await (
      await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts?${new URLSearchParams({ q: `${run} nightly` }).toString()}`)
    ).json()) as { alerts: Array<{ alertId: string }> };
    await page.goto(`http://127.0.0.1:${tracker.port}/#/alert/${found.alerts[0]!.alertId}`);
    await expect.poll(() => page.locator('#path-steps li').count(), { timeout: 20_000 }).toBe(4);
    await page.click('#lineage-table summary');
    const onPath = page.locator('#lineage-table tbody tr.on-path');
    await expect.poll(() => onPath.count()).toBe(3);
    expect(await onPath.filter({ hasText: `${backupNs} nightly (aws ap-southeast-1) — violating` }).count()).toBe(1);
    expect(await page.locator('#lineage-table caption').innerText()).toMatch(/^\d+ nodes, \d+ movements in \d+ rows$/);
  }, 60_000);

  it('draws a deleted copy apart from live ones, keeps region boxes apart, and looks back with the as-of control (?asOf= in the address)', async () => {
    const remove = {
      specVersion: '1.0',
      eventId: `${run}-7`,
      eventTime: T(60),
      operation: 'delete',
      inputs: [{ namespace: ns, name: 'legacy' }],
    };
    await produceRaw(eventsTopic, [{ key: remove.eventId, value: JSON.stringify(remove) }]);
    await waitFor(
      'the delete written',
      () => countEvents(`${run}-`),
      (n) => n === 7,
    );
    const legacy = nodeId(ns, 'legacy');
    await page.goto(`http://127.0.0.1:${tracker.port}/#/dataset/${encodeURIComponent(ns)}/profiles`);
    await expect.poll(() => page.locator('#graph').getAttribute('data-deleted'), { timeout: 20_000 }).toBe(legacy);
    expect((await drawnNode(legacy)).classes).toContain('deleted');
    expect((await drawnNode(legacy)).label).toBe(`legacy\n${ns}\ndeleted ${T(60).slice(0, 10)}`);
    expect((await drawnNode(nodeId(ns, 'replica'))).classes).not.toContain('deleted');
    // No two region boxes overlap (five regions here: two OCI, three AWS).
    const boxes = await page.evaluate(() =>
      (
        globalThis as unknown as {
          borderlineGraph: { nodes(s: string): { map<T>(f: (n: { boundingBox(o: object): object }) => T): T[] } };
        }
      ).borderlineGraph
        .nodes('.region')
        .map((r) => r.boundingBox({ includeLabels: true }) as { x1: number; x2: number; y1: number; y2: number }),
    );
    expect(boxes.length).toBeGreaterThanOrEqual(4);
    for (const [i, a] of boxes.entries())
      for (const b of boxes.slice(i + 1))
        expect(Math.min(a.x2, b.x2) > Math.max(a.x1, b.x1) && Math.min(a.y2, b.y2) > Math.max(a.y1, b.y1), 'two region boxes overlap').toBe(
          false,
        );

    // As of T(5): only the first copy had happened; the address keeps the time.
    const childless = () =>
      page.evaluate(() =>
        (globalThis as unknown as { borderlineGraph: { nodes(s: string): { map<T>(f: (n: { id(): string }) => T): T[] } } }).borderlineGraph
          .nodes(':childless')
          .map((n) => n.id())
          .sort(),
      );
    await page.fill('#as-of', T(5).slice(0, 19));
    await page.dispatchEvent('#as-of', 'change');
    await expect.poll(() => page.locator('#graph-title').innerText(), { timeout: 10_000 }).toContain(`as of ${T(5)}`);
    await expect.poll(childless, { timeout: 10_000 }).toEqual([nodeId(ns, 'profiles'), nodeId(ns, 'replica')].sort());
    expect(new URL(page.url()).searchParams.get('asOf')).toBe(T(5));
    await expect.poll(() => page.locator('#residency-total').innerText()).toContain(`as of ${T(5)}`);
    // As of T(30), before the delete: the Virginia copy is live and violating.
    await page.fill('#as-of', T(30).slice(0, 19));
    await page.dispatchEvent('#as-of', 'change');
    await expect.poll(() => page.locator('#graph-title').innerText(), { timeout: 10_000 }).toContain(`as of ${T(30)}`);
    await expect.poll(() => page.locator('#graph').getAttribute('data-violating'), { timeout: 10_000 }).toContain(legacy);
    expect(await page.locator('#graph').getAttribute('data-deleted')).toBe('');
    // A link with ?asOf= opens at that time; "Now" goes back to the present.
    await page.goto(`http://127.0.0.1:${tracker.port}/?asOf=${encodeURIComponent(T(5))}#/dataset/${encodeURIComponent(ns)}/profiles`);
    await expect.poll(childless, { timeout: 20_000 }).toEqual([nodeId(ns, 'profiles'), nodeId(ns, 'replica')].sort());
    expect(await page.locator('#as-of').inputValue()).toBe(T(5).slice(0, 19));
    await page.click('#as-of-now');
    await expect.poll(() => page.locator('#graph').getAttribute('data-deleted'), { timeout: 10_000 }).toBe(legacy);
    expect(new URL(page.url()).searchParams.has('asOf')).toBe(false);
    expect(await page.locator('#graph-title').innerText()).not.toContain('as of');
    await page.screenshot({ path: join(root, 'test-results/web-page-deleted-copy.png') });
  }, 90_000);

  it('takes a burst of live alerts as increments: the header counts them, the list stays one page, no request per alert', async () => {
    await page.goto(`http://127.0.0.1:${tracker.port}/`);
    await expect.poll(() => page.locator('#live').getAttribute('class'), { timeout: 20_000 }).toContain('on');
    const openCount = async () => Number((await page.locator('#alert-count').innerText()).split(' open')[0]!.replace(/,/g, ''));
    await expect.poll(openCount, { timeout: 10_000 }).toBeGreaterThan(0);
    const before = await openCount();
    const requests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/') && !r.url().includes('/alerts/stream')) requests.push(new URL(r.url()).pathname);
    });
    const burst = Array.from({ length: 40 }, (_, i) =>
      event(100 + i, 100 + i, { namespace: ns, name: 'profiles' }, { namespace: backupNs, name: `burst-${i}` }),
    );
    await produceRaw(
      eventsTopic,
      burst.map((e) => ({ key: e.eventId, value: JSON.stringify(e) })),
    );
    // The positive signal: every one of the 40 alerts has reached the page.
    await expect.poll(openCount, { timeout: 30_000 }).toBe(before + 40);
    expect(await page.locator('#alerts li').count()).toBeLessThanOrEqual(50);
    // At most the residency summary, re-read once after the burst; never one request per alert.
    expect(requests.length, requests.join(', ')).toBeLessThanOrEqual(2);
  }, 60_000);

  it('gives a reader its own address: its detail, and the path of its newest alert (issue 15, item 3)', async () => {
    const read = {
      specVersion: '1.0',
      eventId: `${run}-read`,
      eventTime: T(200),
      operation: 'access',
      inputs: [{ namespace: ns, name: 'profiles' }],
      actor: { service: `${run}-console`, region: 'eu-west-2', provider: 'aws' },
    };
    await produceRaw(eventsTopic, [{ key: read.eventId, value: JSON.stringify(read) }]);
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`http://127.0.0.1:${tracker.port}/api/v1/alerts?q=${encodeURIComponent(`${run}-console`)}`)).json()) as {
              total: number;
            }
          ).total,
        { timeout: 30_000 },
      )
      .toBe(1);
    await page.goto(`http://127.0.0.1:${tracker.port}/#/actor/${encodeURIComponent(`${run}-console`)}/eu-west-2`);
    await expect
      .poll(() => page.locator('#graph-title').innerText(), { timeout: 30_000 })
      .toMatch(new RegExp(`^Reader ${run}-console in eu-west-2: Violation of ${run}-us`));
    const detail = await page.locator('#node-detail-body').innerText();
    expect(detail).toContain(`${run}-console reading from eu-west-2`);
    expect(detail).toContain(`read ${label} since`);
    expect(await page.locator('#path-steps li').count()).toBe(2); // profiles, then the reader
    // Tapping the reader in the graph gives its address.
    await page.goto(`http://127.0.0.1:${tracker.port}/#/dataset/${encodeURIComponent(ns)}/profiles`);
    const actorId = `actor/${encodeURIComponent(`${run}-console`)}/eu-west-2`;
    await expect
      .poll(() =>
        page.evaluate(
          (id) => (globalThis as unknown as { borderlineGraph: { $id(id: string): { length: number } } }).borderlineGraph.$id(id).length,
          actorId,
        ),
      )
      .toBe(1);
    await page.evaluate((id) => {
      (globalThis as unknown as { borderlineGraph: { $id(id: string): { emit(e: string): void } } }).borderlineGraph.$id(id).emit('tap');
    }, actorId);
    await expect.poll(() => new URL(page.url()).hash).toBe(`#/actor/${encodeURIComponent(`${run}-console`)}/eu-west-2`);
  }, 60_000);
});
