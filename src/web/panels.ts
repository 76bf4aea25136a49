import type { ApiAlert, LineageAnswer } from '../api/api-schemas.js';
import { $, place, text } from './dom.js';
import { PROVIDER_COLOURS } from './graph.js';
import { describeMergedEdge, edgeLabel, type MergedEdge } from './merge-edges.js';

// The page's panels that draw what they are given (no state of their own): the edge picked in the
// graph, the legend, the lineage table, a node's detail.

/** A picked edge: what it stands for and, on demand, each movement (at most EDGE_MOVEMENTS listed; the rest counted). */
export const EDGE_MOVEMENTS = 200;
export function showEdge(edge: MergedEdge, name: (id: string) => string): void {
  $('edge-detail').hidden = false;
  $('edge-detail-text').textContent = describeMergedEdge(edge, name);
  const list = $('edge-movements');
  list.hidden = edge.count < 2;
  list.querySelector('ol')?.replaceChildren(
    ...[...edge.movements]
      .sort((a, b) => (a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : 0))
      .slice(0, EDGE_MOVEMENTS)
      .map((m) => text('li', '', `${m.eventTime} — event ${m.eventId}`)),
  );
  $('edge-movements-more').textContent =
    edge.count > EDGE_MOVEMENTS
      ? `the first ${EDGE_MOVEMENTS} of ${edge.count.toLocaleString('en')} movements; the lineage API answer lists them all`
      : '';
}
/** The graph's legend: one colour per provider, then the marks. */
export function drawLegend(): void {
  $('legend').innerHTML =
    Object.entries(PROVIDER_COLOURS)
      .map(([p, c]) => `<span style="--c:${c}">${p}</span>`)
      .join('') +
    '<span class="violating-key">violating (open alert)</span><span class="deleted-key">deleted (lineage kept)</span>' +
    '<span class="path-key">path of the selected alert</span>';
}

/**
 * The lineage drawn, as a table (for the keyboard and screen readers): one row per merged movement,
 * those on the selected alert's path marked.
 */
export function renderLineageTable(lineage: LineageAnswer, merged: readonly MergedEdge[], onPath: ReadonlySet<string> = new Set()): void {
  const names = new Map(
    lineage.nodes.map((n) => [
      n.id,
      `${n.kind === 'dataset' ? `${n.namespace} ${n.name}` : `${n.service} (reader)`} (${place(n)})${n.openAlertIds.length > 0 ? ' — violating' : ''}`,
    ]),
  );
  const rows = merged.map((e) => {
    const tr = document.createElement('tr');
    const isOnPath = e.eventIds.some((id) => onPath.has(id));
    if (isOnPath) tr.className = 'on-path';
    tr.append(
      text('td', '', names.get(e.from) ?? e.from),
      text('td', '', `${edgeLabel(e)}${isOnPath ? ' (on the alert’s path)' : ''}`),
      text('td', '', names.get(e.to) ?? e.to),
      text('td', '', e.count > 1 ? `${e.first} … ${e.last}` : e.first),
    );
    return tr;
  });
  $('lineage-table-caption').textContent =
    `${lineage.nodes.length} nodes, ${lineage.edges.length} movements in ${rows.length} rows${lineage.truncated ? ' — cut at the configured cap' : ''}`;
  $('lineage-table')
    .querySelector('tbody')
    ?.replaceChildren(...rows);
}

/** A dataset's or a reader's detail: where it is, what it holds, its alerts. */
export function renderNodeDetail(
  name: string,
  where: string,
  holdingLines: string[],
  noHoldings: string,
  nodeAlerts: readonly ApiAlert[],
): void {
  const holdings = document.createElement('ul');
  holdings.append(...holdingLines.map((line) => text('li', '', line)));
  if (holdingLines.length === 0) holdings.append(text('li', 'muted', noHoldings));
  const alertList = document.createElement('ul');
  alertList.append(...nodeAlerts.map((a) => text('li', '', `${a.status}: ${a.policyId} (${a.severity})`)));
  if (nodeAlerts.length === 0) alertList.append(text('li', 'muted', 'no alerts'));
  $('node-detail-body').replaceChildren(text('div', 'name', name), text('div', '', where), holdings, alertList);
  $('node-detail').hidden = false;
}
