import {
  followAlerts,
  get,
  NeedsToken,
  nodeIdOf,
  setToken,
  type Alert,
  type DatasetRef,
  type LineageResponse,
  type NodeDetail,
  type PolicySummary,
  type ResidencyResponse,
} from './api.js';
import { LineageGraph, PROVIDER_COLOURS } from './graph.js';

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const alerts = new Map<string, Alert>();
let selectedAlert: string | undefined;
let shown: DatasetRef | undefined;
/** Bumped by every new view (an alert, a dataset): answers to an older request are dropped, not drawn over a newer one. */
let view = 0;

const graph = new LineageGraph(
  $('graph'),
  (node) => void showDataset({ kind: 'dataset', namespace: node.namespace ?? '', name: node.name ?? '' }),
);
$('legend').innerHTML =
  Object.entries(PROVIDER_COLOURS)
    .map(([p, c]) => `<span style="--c:${c}">${p}</span>`)
    .join('') + '<span class="violating-key">violating (open alert)</span><span class="path-key">path of the selected alert</span>';

function status(text: string): void {
  $('status').textContent = text;
}

function text(tag: string, className: string, content: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = content;
  return el;
}

const nodeLabel = (n: Alert['node']) => (n.kind === 'dataset' ? `${n.namespace} ${n.name}` : `${n.service} reading from ${n.region}`);
const place = (n: { provider?: string | undefined; region?: string | undefined }) =>
  [n.provider, n.region].filter(Boolean).join(' ') || 'unknown location';

const sortedAlerts = () =>
  [...alerts.values()].sort((a, b) => (a.status === b.status ? b.detectedAt.localeCompare(a.detectedAt) : a.status === 'open' ? -1 : 1));

function renderAlerts(fresh?: string): void {
  const list = $('alerts');
  list.replaceChildren();
  const sorted = sortedAlerts();
  for (const alert of sorted) {
    const item = document.createElement('li');
    item.className = [alert.status, alert.alertId === selectedAlert ? 'selected' : '', alert.alertId === fresh ? 'fresh' : '']
      .filter(Boolean)
      .join(' ');
    item.dataset.alertId = alert.alertId;
    item.tabIndex = 0;
    const badge = text('span', 'badge', alert.status);
    const what = text('div', 'what', ` ${nodeLabel(alert.node)}`);
    what.prepend(badge);
    item.append(
      what,
      text('div', 'meta', `${alert.policyId} · ${alert.severity} · ${place(alert.node)} · ${alert.classifications.join(', ')}`),
      text('div', 'meta', `${alert.path.length - 1} hop${alert.path.length === 2 ? '' : 's'} · detected ${alert.detectedAt}`),
    );
    item.addEventListener('click', () => void selectAlert(alert.alertId));
    item.addEventListener('keydown', (e) => e.key === 'Enter' && void selectAlert(alert.alertId));
    list.append(item);
  }
  const open = sorted.filter((a) => a.status === 'open').length;
  $('alert-count').textContent = `${open} open · ${sorted.length - open} remediated`;
}

/** Shows the path of an alert: the lineage upstream of its node, the witness path in red. */
async function selectAlert(alertId: string): Promise<void> {
  const alert = alerts.get(alertId);
  if (!alert) return;
  const mine = (view += 1);
  selectedAlert = alertId;
  renderAlerts();
  const target = alert.node;
  const steps = $('path-steps');
  steps.replaceChildren(
    ...alert.path.map((n, i) =>
      text('li', '', `${nodeLabel(n)} (${place(n)})${i > 0 ? ` ← event ${alert.eventIds[i - 1] ?? '?'}` : ' — labelled here'}`),
    ),
  );
  $('graph-title').textContent =
    `${alert.status === 'open' ? 'Violation' : 'Remediated violation'} of ${alert.policyId}: ${nodeLabel(target)}`;
  const depth = Math.min(Math.max(alert.path.length - 1, 1), 10);
  const origin = alert.path[0];
  // The lineage downstream of the origin holds the whole witness path (it starts there); an alert
  // whose path starts elsewhere shows what flowed into its node.
  const around =
    origin?.kind === 'dataset'
      ? { node: origin, direction: 'downstream' }
      : target.kind === 'dataset'
        ? { node: target, direction: 'upstream' }
        : undefined;
  const lineage =
    around?.node.kind === 'dataset'
      ? await get<LineageResponse>('lineage', {
          namespace: around.node.namespace,
          name: around.node.name,
          direction: around.direction,
          depth,
        }).catch((error: unknown) => {
          status((error as Error).message);
          return undefined;
        })
      : undefined;
  if (lineage && mine === view) {
    shown = undefined;
    graph.draw(lineage, nodeIdOf(target), { nodes: new Set(alert.path.map(nodeIdOf)), events: new Set(alert.eventIds) });
  }
}

async function showDataset(dataset: DatasetRef): Promise<void> {
  const mine = (view += 1);
  shown = dataset;
  selectedAlert = undefined;
  renderAlerts();
  $('path-steps').replaceChildren();
  const direction = $<HTMLSelectElement>('direction').value;
  const depth = Number($<HTMLInputElement>('depth').value) || 3;
  try {
    const lineage = await get<LineageResponse>('lineage', { namespace: dataset.namespace, name: dataset.name, direction, depth });
    if (mine !== view) return;
    $('graph-title').textContent =
      `Lineage of ${dataset.namespace} ${dataset.name} (${direction}, depth ${depth})${lineage.truncated ? ' — cut at the configured cap' : ''}`;
    graph.draw(lineage, nodeIdOf(dataset));
    status('');
    await showNodeDetail(dataset, mine);
  } catch (error) {
    status((error as Error).message);
  }
}

/** The picked dataset: where it is and how we know, the labels it holds, its alerts. */
async function showNodeDetail(dataset: DatasetRef, mine: number): Promise<void> {
  const detail = await get<NodeDetail>('nodes/dataset', { namespace: dataset.namespace, name: dataset.name });
  if (mine !== view) return;
  const body = $('node-detail-body');
  const where = `${place(detail.location)}${detail.location.country ? ` (${detail.location.country})` : ''}`;
  const source = { event: 'stated by its events', 'store-catalog': "from the policy's store catalog", unknown: 'unknown: fails closed' }[
    detail.location.source
  ];
  const holdings = document.createElement('ul');
  holdings.append(
    ...detail.holdings.map((h) =>
      text('li', '', `${h.classification} since ${h.since}${h.viaEventId ? ` (via ${h.viaEventId})` : ' (asserted here)'}`),
    ),
  );
  if (detail.holdings.length === 0) holdings.append(text('li', 'muted', 'holds no protected label'));
  const alertList = document.createElement('ul');
  alertList.append(...detail.alerts.map((a) => text('li', '', `${a.status}: ${a.policyId} (${a.severity})`)));
  if (detail.alerts.length === 0) alertList.append(text('li', 'muted', 'no alerts'));
  body.replaceChildren(
    text('div', 'name', `${dataset.namespace} ${dataset.name}`),
    text('div', '', `${where} — ${source}${detail.deletedAt ? `; deleted ${detail.deletedAt}` : ''}`),
    holdings,
    alertList,
  );
  $('node-detail').hidden = false;
}

async function showResidency(): Promise<void> {
  const classification = $<HTMLSelectElement>('classification').value;
  if (!classification) return;
  const answer = await get<ResidencyResponse>('residency', { classification });
  const groups = new Map<string, { where: string; country: string; count: number; approved: boolean }>();
  for (const h of answer.holdings) {
    const country = h.country ?? '';
    const key = `${place(h.node)}|${h.approved}`;
    const group = groups.get(key) ?? { where: place(h.node), country, count: 0, approved: h.approved };
    group.count += 1;
    groups.set(key, group);
  }
  const rows = [...groups.values()].sort((a, b) => Number(a.approved) - Number(b.approved) || b.count - a.count);
  $('residency')
    .querySelector('tbody')
    ?.replaceChildren(
      ...rows.map((g) => {
        const tr = document.createElement('tr');
        tr.append(
          text('td', '', g.where),
          text('td', '', g.country),
          text('td', '', String(g.count)),
          text('td', g.approved ? 'good' : 'bad', g.approved ? 'yes' : 'no'),
        );
        return tr;
      }),
    );
}

async function loadAll(): Promise<void> {
  try {
    const [{ alerts: list }, { policies }] = await Promise.all([
      get<{ alerts: Alert[] }>('alerts', { limit: 500 }),
      get<{ policies: PolicySummary[] }>('policies'),
    ]);
    for (const alert of list) alerts.set(alert.alertId, alert);
    renderAlerts();
    const first = sortedAlerts()[0];
    const labels = [...new Set(policies.flatMap((p) => p.classifications))].sort();
    $('classification').replaceChildren(
      ...labels.map((l) =>
        Object.assign(document.createElement('option'), {
          value: l,
          textContent: l,
          selected: first?.classifications.includes(l) ?? false,
        }),
      ),
    );
    await showResidency();
    // The newest open alert is shown unless the user has already picked something.
    if (first && !shown && selectedAlert === undefined) await selectAlert(first.alertId);
    followAlerts(
      (alert) => {
        alerts.set(alert.alertId, alert);
        renderAlerts(alert.alertId);
        void showResidency();
        if (selectedAlert === alert.alertId) void selectAlert(alert.alertId);
      },
      (live) => $('live').classList.toggle('on', live),
    );
    status('');
  } catch (error) {
    if (error instanceof NeedsToken) {
      $('token-button').hidden = false;
      status('This tracker requires an API token.');
    } else status((error as Error).message);
  }
}

// Search box: datasets whose name or namespace contains the text.
let searchTimer: number | undefined;
$('search-text').addEventListener('input', () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => {
    const q = $<HTMLInputElement>('search-text').value;
    void get<{ datasets: DatasetRef[] }>('datasets', { q, limit: 15 }).then(
      ({ datasets }) => {
        const results = $('search-results');
        results.replaceChildren(
          ...datasets.map((d) => {
            const li = text('li', '', `${d.namespace} ${d.name}`);
            li.tabIndex = 0;
            li.addEventListener('click', () => {
              results.hidden = true;
              void showDataset(d);
            });
            return li;
          }),
        );
        results.hidden = datasets.length === 0;
      },
      (error: unknown) => status((error as Error).message),
    );
  }, 200);
});
$('search').addEventListener('submit', (e) => e.preventDefault());
for (const id of ['direction', 'depth']) $(id).addEventListener('change', () => shown && void showDataset(shown));
$('classification').addEventListener('change', () => void showResidency());
$('token-button').addEventListener('click', () => {
  const token = window.prompt('API token (BORDERLINE_API_TOKENS)');
  if (token) {
    setToken(token);
    $('token-button').hidden = true;
    void loadAll();
  }
});

void loadAll();
