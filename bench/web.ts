import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { DataMovementEvent } from '../src/events/data-movement-event.js';
import { readServerSentEvents } from '../src/http/read-server-sent-events.js';
import { removeBenchData } from './support/clean-up.js';
import { createProgress } from './support/progress.js';
import { renderLineChart } from './support/render-chart.js';
import { percentile, startBenchTracker, type BenchTracker } from './support/tracker.js';

/**
 * `npm run bench:web` (issue 15): the auditor's page in a real Chromium at estate scale.
 *  1. Seeds a graph of BENCH_WEB_ALERTS (26,000) violating copies: twice as many datasets, one alert each.
 *  2. Opens the page BENCH_WEB_LOADS (3) times at 1440×900: time to the first graph (User Timing mark
 *     `borderline:first-graph`, from navigation start) and the longest main-thread task of the load.
 *  3. With the page open and following the stream, BENCH_WEB_RATE (2,000) events/s arrive for
 *     BENCH_WEB_SECONDS (60), one in ten a new violation: the longest main-thread task (Long Tasks
 *     API), API requests per incoming alert, DOM nodes (sampled every 2 s) and JS heap.
 *  4. Screenshots at 1440×900, 1024×768 and 390×844 (bench/results/web-*.png); a chart of DOM nodes
 *     and long tasks over the live minute (bench/results/web-live.svg).
 * BENCH_WEB_PROFILE=1 records the page's CPU profile over the live minute (bench/results/web-live.cpuprofile,
 * for Chrome DevTools) and prints the functions that took the most time.
 * Needs the local infrastructure (`npm run infra:up`) and Chromium (BORDERLINE_CHROMIUM, /usr/bin/chromium).
 */
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const CHROMIUM = process.env.BORDERLINE_CHROMIUM ?? '/usr/bin/chromium';
const seedAlerts = Number(process.env.BENCH_WEB_ALERTS ?? 26_000);
const loads = Number(process.env.BENCH_WEB_LOADS ?? 3);
const rate = Number(process.env.BENCH_WEB_RATE ?? 2_000);
const seconds = Number(process.env.BENCH_WEB_SECONDS ?? 60);
const run = `web-${Date.now().toString(36)}`;
const usNs = `pg://${run}-us`;
const sgNs = `pg://${run}-sg-backup`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const at = (i: number) => new Date(Date.parse('2026-11-22T00:00:00Z') + i).toISOString();
const us = (name: string, labelled = false) => ({
  namespace: usNs,
  name,
  provider: 'oci',
  region: 'us-ashburn-1',
  ...(labelled ? { classifications: ['us-user-data'] } : {}),
});
const sg = (name: string) => ({ namespace: sgNs, name, provider: 'aws', region: 'ap-southeast-1' });
const copy = (id: string, i: number, from: object, to: object): DataMovementEvent =>
  ({
    specVersion: '1.0',
    eventId: id,
    eventTime: at(i),
    operation: 'copy',
    inputs: [from],
    outputs: [to],
    producer: 'bench-web',
  }) as DataMovementEvent;

/** Seed i: a labelled US table copied to a Singapore backup (two datasets, one alert). */
const seedEvent = (i: number) => copy(`${run}-seed-${i}`, i, us(`users-${i}`, true), sg(`backup-${i}`));
/**
 * Live j: one in ten a new copy of US data abroad (a new alert); the others nightly copies of tables
 * that carry no protected label, inside the US (most of an estate's traffic).
 */
const liveEvent = (j: number) =>
  j % 10 === 0
    ? copy(`${run}-live-${j}`, seedAlerts + j, us(`users-${j % seedAlerts}`), sg(`live-${j}`))
    : copy(`${run}-live-${j}`, seedAlerts + j, us(`orders-${j % 20_000}`), {
        ...us(`orders-replica-${j % 20_000}`),
        region: 'us-phoenix-1',
      });

async function send(producer: Producer, topic: string, events: DataMovementEvent[]): Promise<void> {
  await producer.send({
    topic,
    acks: -1,
    messages: events.map((e) => ({ key: `${e.outputs?.[0]?.namespace}/${e.outputs?.[0]?.name}`, value: JSON.stringify(e) })),
  });
}

/** Counts alert states on the tracker's stream (what the page receives). */
function followAlerts(port: number): { count: () => number; stop: () => void } {
  let n = 0;
  const abort = new AbortController();
  void fetch(`http://127.0.0.1:${port}/api/v1/alerts/stream`, { signal: abort.signal })
    .then((r) => readServerSentEvents(r.body!, (event) => (n += event === 'alert' ? 1 : 0)))
    .catch(() => undefined);
  return { count: () => n, stop: () => abort.abort() };
}

interface PageProbe {
  longTasks: Array<{ start: number; duration: number }>;
}
const probe = (page: Page) => page.evaluate(() => (globalThis as unknown as { __bench: PageProbe }).__bench);
const longestSince = async (page: Page, since: number) =>
  Math.max(0, ...(await probe(page)).longTasks.filter((t) => t.start >= since).map((t) => t.duration));

async function openPage(browser: Browser, port: number, viewport = { width: 1440, height: 900 }): Promise<Page> {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(() => {
    const bench: PageProbe = { longTasks: [] };
    (globalThis as unknown as { __bench: PageProbe }).__bench = bench;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) bench.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask' as never, buffered: true }); // a browser entry type Node's typings do not list
  });
  await page.goto(`http://127.0.0.1:${port}/`);
  return page;
}

/** Milliseconds from navigation start to the first graph on the page. */
async function firstGraph(page: Page): Promise<number> {
  await page.waitForFunction(() => performance.getEntriesByName('borderline:first-graph').length > 0, undefined, { timeout: 60_000 });
  return page.evaluate(() => performance.getEntriesByName('borderline:first-graph')[0]!.startTime);
}

interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number } }>;
  samples?: number[];
  timeDeltas?: number[];
}

/** Writes the profile for DevTools and prints the ten functions with the most self time. */
function reportProfile(profile: CpuProfile): void {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/web-live.cpuprofile', JSON.stringify(profile));
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  (profile.samples ?? []).forEach((id, i) => {
    const frame = byNode.get(id);
    const key = frame ? `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}` : '?';
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas?.[i] ?? 0) / 1000);
  });
  for (const [name, ms] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`bench:web  profile ${fmt(ms)} ms  ${name}`);
}

async function main(): Promise<void> {
  if (!existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: install Debian's chromium or set BORDERLINE_CHROMIUM`);
  if (!existsSync('dist/web/index.html')) throw new Error('dist/web is missing: npm run build');
  const kafka = new Kafka({ clientId: 'bench-web', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `${run}.events`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 6 }], waitForLeaders: true });
  const tracker: BenchTracker = await startBenchTracker({
    BORDERLINE_EVENTS_TOPIC: topic,
    BORDERLINE_DLQ_TOPIC: `${run}.dlq`,
    BORDERLINE_ALERTS_TOPIC: `${run}.alerts`,
    BORDERLINE_GROUP_ID: run,
  });
  const api = async <T>(path: string) => (await (await fetch(`http://127.0.0.1:${tracker.port}/api/v1/${path}`)).json()) as T;
  const stream = followAlerts(tracker.port);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  let browser: Browser | undefined;
  try {
    // 1. The estate.
    const seeding = createProgress('bench:web seed (events written)', seedAlerts);
    for (let i = 0; i < seedAlerts; i += 2_000) {
      await send(
        producer,
        topic,
        Array.from({ length: Math.min(2_000, seedAlerts - i) }, (_, k) => seedEvent(i + k)),
      );
      seeding.update(await tracker.written());
    }
    while ((await tracker.written()) < seedAlerts) {
      seeding.update(await tracker.written());
      await sleep(500);
    }
    seeding.done();
    const publishing = createProgress('bench:web seed (alerts published)', seedAlerts);
    while (stream.count() < seedAlerts) {
      publishing.update(stream.count());
      await sleep(500);
    }
    publishing.done();
    const estate = await api<{ total: number }>(`datasets?q=${encodeURIComponent(run)}&limit=1`);
    const alertTotal = await api<{ total: number }>('alerts?limit=1');
    console.log(
      `bench:web  estate: ${fmt(estate.total)} datasets of this run, ${fmt(alertTotal.total)} alerts in the graph (${fmt(seedAlerts)} of this run)`,
    );

    // 2. Loading the page.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const firstGraphs: number[] = [];
    const loadTasks: number[] = [];
    const loadRequests: string[] = [];
    for (let i = 0; i < loads; i += 1) {
      const page = await openPage(browser, tracker.port);
      if (i === loads - 1)
        page.on('requestfinished', (r) => {
          const t = r.timing();
          if (r.url().includes('/api/') && !r.url().includes('/stream'))
            loadRequests.push(`${new URL(r.url()).pathname.replace('/api/v1/', '')} ${fmt(t.responseEnd)} ms`);
        });
      firstGraphs.push(await firstGraph(page));
      await sleep(1_000);
      loadTasks.push(await longestSince(page, 0));
      await page.close();
    }
    console.log(
      `bench:web  time to first graph: median ${fmt(percentile(firstGraphs, 50))} ms (runs ${firstGraphs.map((t) => fmt(t)).join(', ')}; goal <= 2,000)`,
    );
    console.log(`bench:web  longest main-thread task while loading: ${loadTasks.map((t) => fmt(t)).join(', ')} ms`);
    console.log(`bench:web  the last load's API requests (request to response end): ${loadRequests.join(', ')}`);

    // 3. The live minute.
    const page = await openPage(browser, tracker.port);
    await firstGraph(page);
    await page.waitForSelector('#live.on', { timeout: 30_000 });
    await sleep(1_000);
    let requests = 0;
    page.on('request', (r) => {
      if (r.url().includes('/api/')) requests += 1;
    });
    const profiler = process.env.BENCH_WEB_PROFILE === '1' ? await page.context().newCDPSession(page) : undefined;
    if (profiler) {
      await profiler.send('Profiler.enable');
      await profiler.send('Profiler.start');
    }
    const windowStart = await page.evaluate(() => performance.now());
    const alertsBefore = stream.count();
    const writtenBefore = await tracker.written();
    const samples: Array<{ t: number; value: number; series: string }> = [];
    const domNodes: number[] = [];
    let heapMb = 0;
    const total = rate * seconds;
    const live = createProgress('bench:web live events (produced)', total);
    const started = Date.now();
    let produced = 0;
    let nextSample = 0;
    while (produced < total) {
      const due = Math.min(total, Math.floor(((Date.now() - started) / 1000) * rate) + Math.ceil(rate / 10));
      if (due > produced) {
        await send(
          producer,
          topic,
          Array.from({ length: due - produced }, (_, k) => liveEvent(produced + k)),
        );
        produced = due;
        live.update(produced);
      }
      const t = (Date.now() - started) / 1000;
      if (t >= nextSample) {
        nextSample += 2;
        const { nodes, heap } = await page.evaluate(() => ({
          nodes: (
            globalThis as unknown as { document: { getElementsByTagName(t: string): { length: number } } }
          ).document.getElementsByTagName('*').length,
          heap: (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
        }));
        domNodes.push(nodes);
        heapMb = Math.max(heapMb, heap / 1_048_576);
        samples.push({ t, value: nodes, series: 'DOM nodes' });
      }
      await sleep(100);
    }
    live.done();
    const producedSeconds = (Date.now() - started) / 1000;
    // The page takes what the tracker published from these events: wait until the tracker has written them.
    while ((await tracker.written()) < writtenBefore + total) await sleep(250);
    const writtenSeconds = (Date.now() - started) / 1000;
    await sleep(3_000);
    const incoming = stream.count() - alertsBefore;
    if (profiler) reportProfile((await profiler.send('Profiler.stop')).profile);
    const tasks = (await probe(page)).longTasks.filter((t) => t.start >= windowStart);
    for (const task of tasks) samples.push({ t: (task.start - windowStart) / 1000, value: task.duration, series: 'long task (ms)' });
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    console.log(
      `bench:web  live: ${fmt(total)} events produced in ${fmt(producedSeconds, 1)} s (${fmt(total / producedSeconds)} events/s), written by ${fmt(writtenSeconds, 1)} s (${fmt(total / writtenSeconds)} events/s end to end)`,
    );
    console.log(
      `bench:web  longest main-thread task while live: ${fmt(longest)} ms (${tasks.length} tasks over 50 ms, ${tasks.filter((t) => t.duration > 200).length} over 200; goal <= 200)`,
    );
    const over = tasks.filter((t) => t.duration > 150).map((t) => `${fmt(t.duration)} ms at ${fmt((t.start - windowStart) / 1000, 1)} s`);
    if (over.length > 0) console.log(`bench:web  tasks over 150 ms: ${over.join(', ')}`);
    console.log(
      `bench:web  requests per incoming alert: ${fmt(requests / Math.max(incoming, 1), 4)} (${fmt(requests)} API requests for ${fmt(incoming)} alerts; goal <= 1)`,
    );
    console.log(
      `bench:web  DOM nodes: ${fmt(domNodes[0] ?? 0)} at the start, at most ${fmt(Math.max(...domNodes))}, ${fmt(domNodes[domNodes.length - 1] ?? 0)} at the end; JS heap at most ${fmt(heapMb, 1)} MB`,
    );
    mkdirSync('bench/results', { recursive: true });
    await renderLineChart(
      'bench/results/web-live.svg',
      `The page while ${fmt(rate)} events/s arrive (${fmt(incoming)} alerts in ${seconds} s)`,
      samples,
      { field: 't', title: 'seconds into the live minute' },
      { field: 'value', title: 'DOM nodes; long task duration (ms)' },
      'series',
    );

    // 4. Screenshots.
    for (const viewport of [
      { width: 1440, height: 900 },
      { width: 1024, height: 768 },
      { width: 390, height: 844 },
    ]) {
      await page.setViewportSize(viewport);
      await sleep(1_000);
      const file = `bench/results/web-${viewport.width}x${viewport.height}.png`;
      await page.screenshot({ path: file });
      console.log(`bench:web  screenshot ${file}`);
    }
    writeFileSync(
      'bench/results/web.json',
      `${JSON.stringify(
        {
          datasets: estate.total,
          alerts: alertTotal.total,
          firstGraphMs: firstGraphs,
          loadLongestTaskMs: loadTasks,
          live: { events: total, producedPerSecond: total / producedSeconds, incomingAlerts: incoming, requests, longestTaskMs: longest },
          domNodes: { start: domNodes[0], max: Math.max(...domNodes), end: domNodes[domNodes.length - 1] },
          heapMaxMb: heapMb,
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    stream.stop();
    await browser?.close();
    await producer.disconnect();
    await tracker.stop();
    await admin.deleteTopics({ topics: [topic, `${run}.dlq`, `${run}.alerts`] }).catch(() => undefined);
    await admin.disconnect();
    process.stderr.write('bench:web  removing the benchmark data from Neo4j…\n');
    await removeBenchData({ eventIdPrefix: run, namespacePrefix: `pg://${run}` });
  }
}

await main();
