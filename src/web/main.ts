import { appendAll } from '../collections/append-all.js';
import {
  followAlerts,
  get,
  NeedsToken,
  nodeIdOf,
  post,
  setToken,
  type ApiAlert,
  type DatasetRef,
  type LineageAnswer,
  type NodeDetail,
  type AlertsResponse,
  type ResidencyPlacesAnswer,
  type ResidencyAnswer,
} from './api.js';
import { LineageGraph } from './graph.js';
import { alertsCsv, holdingsCsv } from './export.js';
import { $, nodeLabel, place, text } from './dom.js';
import { drawLegend, renderLineageTable, renderNodeDetail, showEdge } from './panels.js';
import { compareAlertsNewestFirst, type AlertFilter } from '../alerts/alert-filter.js';
import { applyLiveStates, EMPTY_LIST, filterParams, listOfAnswer, PAGE_SIZE, rangeText, type AlertList } from './alert-list.js';
import { asOfOfInput, hashOf, inputOfAsOf, placeOfHash, type ActorRef, type Place } from './routing.js';
import { nextOption, searchResults, SEARCH_PAGE, type SearchAnswer } from './search-results.js';
import { fillPolicyChoices, loadPolicies } from './policy-choices.js';

type Alert = ApiAlert;
/** The alerts the page knows: the shown page, and the selected one (with their triage, as the list answers them). */
const alerts = new Map<string, Alert>();
/** One page of the server's filtered list (never the whole list: 25,000 alerts would not fit a DOM). */
let list: AlertList = EMPTY_LIST;
/** Alert states already applied from the live stream: a redelivered state is not counted twice. */
const applied = new Set<string>();
let selectedAlert: string | undefined;
let shown: DatasetRef | undefined;
/** Bumped by every new view (an alert, a dataset): answers to an older request are dropped, not drawn over a newer one. */
let view = 0;

const graph = new LineageGraph(
  $('graph'),
  (node) =>
    navigate(
      node.kind === 'actor'
        ? { actor: { service: node.service ?? '', region: node.region ?? '' } }
        : { dataset: { kind: 'dataset', namespace: node.namespace ?? '', name: node.name ?? '' } },
    ),
  showEdge,
);

drawLegend();

function status(text: string): void {
  $('status').textContent = text;
}

/** The alert filter the controls above the list set (the same filter the server applies). */
function currentFilter(): AlertFilter {
  const value = (id: string) => $<HTMLInputElement | HTMLSelectElement>(id).value.trim() || undefined;
  return {
    status: value('filter-status') as AlertFilter['status'],
    policyId: value('filter-policy'),
    severity: value('filter-severity') as AlertFilter['severity'],
    triage: value('filter-triage') as AlertFilter['triage'],
    q: value('filter-text'),
  };
}

function renderAlerts(fresh?: string): void {
  const items = $('alerts');
  // The list is drawn anew; the alert the keyboard was on keeps the focus (it does not jump to the top).
  const focused =
    document.activeElement instanceof HTMLElement && items.contains(document.activeElement)
      ? document.activeElement.dataset.alertId
      : undefined;
  items.replaceChildren();
  for (const alert of list.listed) {
    const item = document.createElement('li');
    item.className = [alert.status, alert.alertId === selectedAlert ? 'selected' : '', alert.alertId === fresh ? 'fresh' : '']
      .filter(Boolean)
      .join(' ');
    item.dataset.alertId = alert.alertId;
    item.tabIndex = 0;
    const badge = text('span', 'badge', alert.status);
    const what = text('div', 'what', ` ${nodeLabel(alert.node)}`);
    if (alert.waived) what.prepend(text('span', 'badge waived', 'waived'), ' ');
    if (alert.triage?.state === 'acknowledged')
      what.prepend(text('span', 'badge acked', `acknowledged${alert.triage.assignee ? ` · ${alert.triage.assignee}` : ''}`), ' ');
    what.prepend(badge);
    item.append(
      what,
      text('div', 'meta', `${alert.policyId} · ${alert.severity} · ${place(alert.node)} · ${alert.classifications.join(', ')}`),
      text('div', 'meta', `${alert.path.length - 1} hop${alert.path.length === 2 ? '' : 's'} · detected ${alert.detectedAt}`),
    );
    item.addEventListener('click', () => navigate({ alert: alert.alertId }));
    item.addEventListener('keydown', (e) => e.key === 'Enter' && navigate({ alert: alert.alertId }));
    items.append(item);
  }
  if (list.listed.length === 0) items.append(text('li', 'muted empty', list.total === 0 ? 'no alerts match' : 'no alerts on this page'));
  if (focused) [...items.querySelectorAll<HTMLElement>('li')].find((li) => li.dataset.alertId === focused)?.focus();
  $('alert-count').textContent =
    `${list.counts.open.toLocaleString('en')} open · ${list.counts.remediated.toLocaleString('en')} remediated`;
  $('alert-range').textContent = rangeText(list);
  $<HTMLButtonElement>('alerts-newer').disabled = list.offset === 0;
  $<HTMLButtonElement>('alerts-older').disabled = list.offset + list.listed.length >= list.total;
}

/** Asks the server for one page of the filtered list, with its true total and counts. */
/**
 * The as-of time (UTC) the graph and the residency panel look back at, or undefined for now
 * (src/lineage/as-of.ts: event time). It is in the address as `?asOf=`, so a link shows the same.
 */
function asOf(): string | undefined {
  return asOfOfInput($<HTMLInputElement>('as-of').value);
}
const asOfParams = (): Record<string, string> => {
  const at = asOf();
  return at ? { asOf: at } : {};
};
const asOfSuffix = () => {
  const at = asOf();
  return at ? ` — as of ${at}` : '';
};
/** Puts an `asOf=` of the address into the control (the datetime-local input takes UTC without the zone). */
function asOfFromAddress(): void {
  $<HTMLInputElement>('as-of').value = inputOfAsOf(new URLSearchParams(location.search).get('asOf'));
  $('as-of-now').hidden = !asOf();
}

/** The last alert list asked for: an answer to an earlier request (a filter changed since) is dropped when it comes late. */
let alertsRequest = 0;
/** Answers to alert lists handled, drawn or dropped (on #alert-range as data-answered: what a test waits for). */
let alertsAnswered = 0;

async function loadAlerts(offset = list.offset): Promise<void> {
  const mine = (alertsRequest += 1);
  const answer = await get<AlertsResponse>('alerts', { ...filterParams(currentFilter()), offset, limit: PAGE_SIZE });
  $('alert-range').dataset.answered = String((alertsAnswered += 1));
  if (mine !== alertsRequest) return;
  list = listOfAnswer(answer);
  for (const key of [...alerts.keys()]) if (key !== selectedAlert) alerts.delete(key);
  for (const alert of list.listed) alerts.set(alert.alertId, alert);
  renderAlerts();
}

/**
 * States from the live stream, applied without asking the server: the counts move by what changed,
 * and the first page takes the alerts the filter matches (the server's own rule, in
 * src/lineage/alert-filter.ts). A chunk of the stream can carry hundreds of states: they are queued
 * and applied together (the filter read once, the page sorted once). Only the residency summary is
 * re-read, batched (scheduleRefresh).
 */
const liveQueue: Alert[] = [];
function applyLiveAlert(state: Alert): void {
  liveQueue.push(state);
  if (liveQueue.length === 1) queueMicrotask(applyLiveQueue);
}

function applyLiveQueue(): void {
  const outcome = applyLiveStates(list, liveQueue.splice(0), {
    filter: currentFilter(),
    known: (alertId) => alerts.get(alertId),
    applied: (key) => applied.has(key),
  });
  if (applied.size > 100_000) applied.clear();
  for (const key of outcome.appliedKeys) applied.add(key);
  list = outcome.list;
  const onPage = new Set(list.listed.map((a) => a.alertId));
  for (const alert of outcome.updated) if (alerts.has(alert.alertId) || onPage.has(alert.alertId)) alerts.set(alert.alertId, alert);
  for (const dropped of outcome.dropped) if (dropped !== selectedAlert) alerts.delete(dropped);
  if (outcome.fresh === undefined) return;
  if (selectedAlert !== undefined && outcome.updated.some((a) => a.alertId === selectedAlert)) void selectAlert(selectedAlert);
  scheduleRender(outcome.fresh);
  scheduleRefresh();
}

/**
 * The list drawn at most every LIST_REDRAW_MS however many states arrive (a burst of hundreds comes
 * in one chunk of the stream, and at 200 alerts/s redrawing every frame kept the main thread busy
 * with style and layout): each state is applied at once, the drawing follows.
 */
const LIST_REDRAW_MS = 250;
let renderPending: { fresh: string } | undefined;
function scheduleRender(fresh: string): void {
  if (renderPending) {
    renderPending.fresh = fresh;
    return;
  }
  renderPending = { fresh };
  window.setTimeout(() => {
    const latest = renderPending?.fresh;
    renderPending = undefined;
    requestAnimationFrame(() => renderAlerts(latest));
  }, LIST_REDRAW_MS);
}

/** The residency summary, re-read once a burst of alerts has passed (at most every 10 s while they keep coming). */
let refreshTimer: number | undefined;
let refreshDue = 0;
function scheduleRefresh(): void {
  const now = Date.now();
  if (refreshTimer === undefined) refreshDue = now + 10_000;
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(
    () => {
      refreshTimer = undefined;
      void showResidency();
    },
    Math.max(0, Math.min(2_000, refreshDue - now)),
  );
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
    `${readerPrefix(alert)}${alert.status === 'open' ? 'Violation' : 'Remediated violation'} of ${alert.policyId}: ${nodeLabel(target)}${asOfSuffix()}`;
  showTriage(alert);
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
      ? await get<LineageAnswer>('lineage', {
          namespace: around.node.namespace,
          name: around.node.name,
          direction: around.direction,
          depth,
          ...asOfParams(),
        }).catch((error: unknown) => {
          status((error as Error).message);
          return undefined;
        })
      : undefined;
  if (lineage && mine === view) {
    shown = undefined;
    const merged = graph.draw(lineage, nodeIdOf(target), { nodes: new Set(alert.path.map(nodeIdOf)), events: new Set(alert.eventIds) });
    renderLineageTable(lineage, merged, new Set(alert.eventIds));
  }
}

/** The selected alert's triage (docs/contract.md §12): its state, who changed it and why, and the form to change it. */
function showTriage(alert: Alert): void {
  const triage = alert.triage;
  const state = triage?.state ?? 'open';
  $('triage-state').textContent =
    `${state === 'acknowledged' ? 'Acknowledged' : 'Not acknowledged'}${triage?.assignee ? `, assigned to ${triage.assignee}` : ''}` +
    (alert.waived && alert.waiver
      ? ` · waived until ${alert.waiver.until} (${alert.waiver.justification}; approved by ${alert.waiver.approvedBy})`
      : '');
  const history = triage?.history ?? [];
  $('triage-history').replaceChildren(
    ...history
      .slice(-5)
      .reverse()
      .map((h) => text('li', '', `${h.at} ${h.by}: ${h.state}${h.assignee ? ` → ${h.assignee}` : ''} — ${h.note}`)),
    ...(history.length > 5 ? [text('li', 'muted', `${history.length - 5} earlier changes: GET /api/v1/alerts/${alert.alertId}`)] : []),
  );
  $<HTMLButtonElement>('triage-ack').disabled = state === 'acknowledged';
  $<HTMLButtonElement>('triage-reopen').disabled = state === 'open';
  $('triage').hidden = false;
}

$<HTMLFormElement>('triage-form').addEventListener('submit', (e: SubmitEvent) => {
  e.preventDefault();
  const alertId = selectedAlert;
  const submitter = e.submitter;
  if (!alertId || !(submitter instanceof HTMLButtonElement)) return;
  const note = $<HTMLTextAreaElement>('triage-note').value.trim();
  const assignee = $<HTMLInputElement>('triage-assignee').value.trim();
  const body = { state: submitter.value, note, ...(assignee ? { assignee } : {}) };
  post<Alert>(`alerts/${encodeURIComponent(alertId)}/triage`, body).then(
    (changed) => {
      alerts.set(alertId, changed);
      list = { ...list, listed: list.listed.map((a) => (a.alertId === alertId ? changed : a)) };
      $<HTMLTextAreaElement>('triage-note').value = '';
      $('triage-message').textContent = `${changed.triage?.state === 'acknowledged' ? 'Acknowledged' : 'Reopened'}.`;
      renderAlerts();
      showTriage(changed);
      $('triage-note').focus(); // the focus stays in the form the user was in
    },
    (error: unknown) => {
      $('triage-message').textContent = (error as Error).message;
    },
  );
});

async function showDataset(dataset: DatasetRef): Promise<void> {
  const mine = (view += 1);
  shown = dataset;
  selectedAlert = undefined;
  $('triage').hidden = true;
  renderAlerts();
  $('path-steps').replaceChildren();
  const direction = $<HTMLSelectElement>('direction').value;
  const depth = Number($<HTMLInputElement>('depth').value) || 3;
  try {
    const lineage = await get<LineageAnswer>('lineage', {
      namespace: dataset.namespace,
      name: dataset.name,
      direction,
      depth,
      ...asOfParams(),
    });
    if (mine !== view) return;
    $('graph-title').textContent =
      `Lineage of ${dataset.namespace} ${dataset.name} (${direction}, depth ${depth})${asOfSuffix()}${lineage.truncated ? ' — cut at the configured cap' : ''}`;
    renderLineageTable(lineage, graph.draw(lineage, nodeIdOf(dataset)));
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
  const where = `${place(detail.location)}${detail.location.country ? ` (${detail.location.country})` : ''}`;
  const source = { event: 'stated by its events', 'store-catalog': "from the policy's store catalog", unknown: 'unknown: fails closed' }[
    detail.location.source
  ];
  renderNodeDetail(
    `${dataset.namespace} ${dataset.name}`,
    `${where} — ${source}${detail.deletedAt ? `; deleted ${detail.deletedAt}` : ''}`,
    detail.holdings.map((h) => `${h.classification} since ${h.since}${h.viaEventId ? ` (via ${h.viaEventId})` : ' (asserted here)'}`),
    'holds no protected label',
    detail.alerts,
  );
}

/** The node panel: its name, where it is, one line per label it holds, its alerts. */
async function showResidency(): Promise<void> {
  const classification = $<HTMLSelectElement>('classification').value;
  if (!classification) return;
  const answer = await get<ResidencyPlacesAnswer>('residency/places', { classification, ...asOfParams() }).catch((error: unknown) => {
    status((error as Error).message);
    return undefined;
  });
  if (!answer) return;
  $('residency')
    .querySelector('tbody')
    ?.replaceChildren(
      ...answer.places.map((g) => {
        const tr = document.createElement('tr');
        tr.append(
          text('td', '', place(g)),
          text('td', '', g.country ?? ''),
          text('td', '', g.holders.toLocaleString('en')),
          text('td', g.approved ? 'good' : 'bad', g.approved ? 'yes' : 'no'),
        );
        return tr;
      }),
    );
  $('residency-total').textContent =
    `${answer.total.toLocaleString('en')} place${answer.total === 1 ? '' : 's'} ${answer.asOf ? `held ${classification} as of ${answer.asOf}` : `hold ${classification}`}` +
    (answer.truncated ? ' — counted up to the cap; there are more' : '');
}

/**
 * A reader (an actor, docs/contract.md §3): where it is, the labels it read, its alerts; the graph shows the
 * path of its newest alert (how the data reached it), or says it has none.
 */
let shownReader: ActorRef | undefined;
/** "Reader … in …: " before the title of an alert on the reader whose address is shown. */
const readerPrefix = (alert: Alert) =>
  shownReader && alert.node.kind === 'actor' && alert.node.service === shownReader.service && alert.node.region === shownReader.region
    ? `Reader ${shownReader.service} in ${shownReader.region}: `
    : '';
async function showActor(actor: ActorRef): Promise<void> {
  shownReader = undefined;
  const mine = (view += 1);
  try {
    const detail = await get<NodeDetail>('nodes/actor', { service: actor.service, region: actor.region });
    if (mine !== view) return;
    renderNodeDetail(
      `${actor.service} reading from ${actor.region}`,
      place(detail.location),
      detail.holdings.map((h) => `read ${h.classification} since ${h.since}`),
      'read no protected label',
      detail.alerts,
    );
    const newest = [...detail.alerts].sort(compareAlertsNewestFirst)[0];
    if (newest) {
      alerts.set(newest.alertId, newest);
      shownReader = actor;
      await selectAlert(newest.alertId);
    } else {
      shown = undefined;
      selectedAlert = undefined;
      $('graph-title').textContent = `Reader ${actor.service} in ${actor.region}: no alerts, nothing to draw`;
    }
    status('');
  } catch (error) {
    status((error as Error).message);
  }
}

/** A user's pick: it becomes an entry of the history (the address says it), then it is shown. */
function navigate(target: Place): void {
  if (location.hash !== hashOf(target)) history.pushState(null, '', hashOf(target));
  void show(target);
}

/** Shows what an address names; an alert not on the current page is asked for by its id. */
async function show(target: Place): Promise<void> {
  if (!('actor' in target)) shownReader = undefined;
  if ('dataset' in target) return showDataset(target.dataset);
  if ('actor' in target) return showActor(target.actor);
  if (!alerts.has(target.alert)) {
    const alert = await get<Alert>(`alerts/${encodeURIComponent(target.alert)}`).catch((error: unknown) => {
      status((error as Error).message);
      return undefined;
    });
    if (!alert) return;
    alerts.set(alert.alertId, alert);
  }
  await selectAlert(target.alert);
}
window.addEventListener('popstate', () => {
  const target = placeOfHash(location.hash);
  if (target) void show(target);
});

async function loadAll(): Promise<void> {
  asOfFromAddress();
  try {
    const [, policies] = await Promise.all([loadAlerts(0), loadPolicies()]);
    const first = list.listed.find((a) => a.status === 'open') ?? list.listed[0];
    fillPolicyChoices(policies, $('filter-policy'), $('classification'), first?.classifications ?? []);
    // The graph first (what the address names, else the newest open alert unless the user has already
    // picked something); the residency summary, which counts every holding, meanwhile.
    const residency = showResidency();
    const linked = placeOfHash(location.hash);
    if (linked) await show(linked);
    else if (first && !shown && selectedAlert === undefined) await selectAlert(first.alertId);
    await residency;
    followAlerts(applyLiveAlert, (live) => $('live').classList.toggle('on', live));
    status('');
  } catch (error) {
    if (error instanceof NeedsToken) {
      $('token-button').hidden = false;
      status('This tracker requires an API token.');
    } else status((error as Error).message);
  }
}

// Search box: datasets matching every word in "namespace name", best first (the server ranks),
// 15 at a time with "more"; arrow keys move through the results, Enter opens one, Escape closes.
let searchTimer: number | undefined;
let searchShown: DatasetRef[] = [];
async function runSearch(offset: number): Promise<void> {
  const q = $<HTMLInputElement>('search-text').value;
  const answer = await get<SearchAnswer>('datasets', { q, offset, limit: SEARCH_PAGE });
  const page = searchResults(searchShown, offset, answer);
  searchShown = page.datasets;
  const results = $('search-results');
  const items = searchShown.map((d) => {
    const li = text('li', 'result', `${d.namespace} ${d.name}`);
    li.tabIndex = -1;
    li.setAttribute('role', 'option');
    const open = () => {
      results.hidden = true;
      navigate({ dataset: d });
    };
    li.addEventListener('click', open);
    li.addEventListener('keydown', (e) => e.key === 'Enter' && open());
    return li;
  });
  const summary = text('li', 'muted summary', page.summary);
  const more = page.more === undefined ? [] : [text('li', 'more', page.more)];
  for (const m of more) {
    m.tabIndex = -1;
    m.setAttribute('role', 'option');
    const load = () =>
      void runSearch(searchShown.length).then(() =>
        results.querySelectorAll<HTMLElement>('li.result')[searchShown.length - SEARCH_PAGE]?.focus(),
      );
    m.addEventListener('click', load);
    m.addEventListener('keydown', (e) => e.key === 'Enter' && load());
  }
  results.replaceChildren(summary, ...items, ...more);
  results.hidden = q.trim() === '' && answer.total === 0;
}
$('search-text').addEventListener('input', () => {
  window.clearTimeout(searchTimer);
  searchTimer = window.setTimeout(() => void runSearch(0).catch((error: unknown) => status((error as Error).message)), 200);
});
$('search').addEventListener('keydown', (e) => {
  const results = $('search-results');
  const options = [...results.querySelectorAll<HTMLElement>('li.result, li.more')];
  const at = options.indexOf(document.activeElement as HTMLElement);
  if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
    e.preventDefault();
    if (results.hidden || options.length === 0) return;
    const next = nextOption(at, options.length, e.key);
    if (next < 0) $('search-text').focus();
    else options[next]?.focus();
  } else if (e.key === 'Escape') {
    results.hidden = true;
    $('search-text').focus();
  }
});
$('search').addEventListener('submit', (e) => e.preventDefault());
for (const id of ['direction', 'depth']) $(id).addEventListener('change', () => shown && void showDataset(shown));
$('classification').addEventListener('change', () => void showResidency());
// The alert filter: a change asks the server for the first page of the new list.
let filterTimer: number | undefined;
const reloadAlerts = () => void loadAlerts(0).catch((error: unknown) => status((error as Error).message));
for (const id of ['filter-status', 'filter-policy', 'filter-severity', 'filter-triage']) $(id).addEventListener('change', reloadAlerts);
$('filter-text').addEventListener('input', () => {
  window.clearTimeout(filterTimer);
  filterTimer = window.setTimeout(reloadAlerts, 250);
});
$('alert-filter').addEventListener('submit', (e) => e.preventDefault());
$('alerts-newer').addEventListener('click', () => void loadAlerts(Math.max(0, list.offset - PAGE_SIZE)));
$('alerts-older').addEventListener('click', () => void loadAlerts(list.offset + PAGE_SIZE));
// The skip link moves the focus to the alerts without changing the address (the address names what is shown).
document.querySelector('.skip-link')?.addEventListener('click', (e) => {
  e.preventDefault();
  $('alerts-heading').focus();
});

/** Offers a file for download. */
function download(filename: string, content: Blob): void {
  const url = URL.createObjectURL(content);
  const a = Object.assign(document.createElement('a'), { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// Exports: the graph as drawn; every alert matching the filter (page by page, with progress); where the label lives.
$('graph-fit').addEventListener('click', () => graph.fit());
$('export-png').addEventListener('click', () => download('borderline-lineage.png', graph.png()));
$('export-alerts').addEventListener('click', () => {
  void (async () => {
    const filter = filterParams(currentFilter());
    const all: Alert[] = [];
    for (;;) {
      const answer = await get<AlertsResponse>('alerts', { ...filter, offset: all.length, limit: 10_000 });
      appendAll(all, answer.alerts);
      status(`exporting ${all.length.toLocaleString('en')} of ${answer.total.toLocaleString('en')} alerts…`);
      if (!answer.truncated || answer.alerts.length === 0) break;
    }
    download('borderline-alerts.csv', new Blob([alertsCsv(all)], { type: 'text/csv' }));
    status(`exported ${all.length.toLocaleString('en')} alerts`);
  })().catch((error: unknown) => status((error as Error).message));
});
$('export-residency').addEventListener('click', () => {
  const classification = $<HTMLSelectElement>('classification').value;
  if (!classification) return;
  get<ResidencyAnswer>('residency', { classification, limit: 100_000, ...asOfParams() }).then(
    (answer) => {
      download(`borderline-residency-${classification}.csv`, new Blob([holdingsCsv(answer)], { type: 'text/csv' }));
      status(
        answer.truncated
          ? `exported the first ${answer.holdings.length.toLocaleString('en')} of ${answer.total.toLocaleString('en')} holdings of ${classification}`
          : `exported ${answer.total.toLocaleString('en')} holdings of ${classification}`,
      );
    },
    (error: unknown) => status((error as Error).message),
  );
});
// The as-of control: the address keeps it (`?asOf=`, the hash still names what is shown); what is shown is asked again.
function applyAsOf(): void {
  const at = asOf();
  const url = new URL(location.href);
  if (at) url.searchParams.set('asOf', at);
  else url.searchParams.delete('asOf');
  if (url.href !== location.href) history.replaceState(null, '', url.href);
  $('as-of-now').hidden = !at;
  void showResidency();
  if (selectedAlert !== undefined) void selectAlert(selectedAlert);
  else if (shown) void showDataset(shown);
}
$('as-of').addEventListener('change', applyAsOf);
$('as-of-now').addEventListener('click', () => {
  $<HTMLInputElement>('as-of').value = '';
  applyAsOf();
});
$('token-button').addEventListener('click', () => {
  const token = window.prompt('API token (BORDERLINE_API_TOKENS)');
  if (token) {
    setToken(token);
    $('token-button').hidden = true;
    void loadAll();
  }
});

void loadAll();
