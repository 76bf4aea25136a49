import cytoscape, { type Core, type ElementDefinition } from 'cytoscape';
import fcose from 'cytoscape-fcose';
import type { LineageAnswer } from './api.js';
import { edgeLabel, mergeEdges, type MergedEdge } from './merge-edges.js';
import { separateBoxes } from './separate-boxes.js';

cytoscape.use(fcose);

export const PROVIDER_COLOURS: Record<string, string> = {
  oci: '#7a5af8',
  aws: '#f79009',
  gcp: '#2e90fa',
  azure: '#06aed4',
  unknown: '#98a2b3',
};
const colour = (provider: string | undefined) => PROVIDER_COLOURS[provider ?? 'unknown'] ?? '#667085';

/** The lineage drawn with Cytoscape.js: one box per provider region, violating nodes ringed in red. */
export class LineageGraph {
  private readonly cy: Core;

  constructor(
    private readonly container: HTMLElement,
    onPick: (node: { kind: string; namespace?: string; name?: string; service?: string; region?: string }) => void,
    onEdge: (edge: MergedEdge, name: (id: string) => string) => void = () => undefined,
  ) {
    this.cy = cytoscape({
      container,
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 10,
            'text-valign': 'bottom',
            'text-margin-y': 3,
            'background-color': 'data(colour)',
            width: 22,
            height: 22,
            'text-wrap': 'wrap',
            'text-max-width': '180px',
            'line-height': 1.15,
          },
        },
        { selector: 'node.actor', style: { shape: 'round-rectangle', width: 26, height: 18 } },
        {
          selector: 'node.region',
          style: {
            'background-opacity': 0.07,
            'background-color': 'data(colour)',
            'border-width': 1,
            'border-color': 'data(colour)',
            'border-style': 'dashed',
            label: 'data(label)',
            'text-valign': 'top',
            'font-size': 11,
            'font-weight': 'bold',
            color: '#475467',
            shape: 'round-rectangle',
          },
        },
        { selector: 'node.violating', style: { 'border-width': 4, 'border-color': '#d92d20' } },
        // A deleted copy: its lineage stays, the data is gone — hollow, dashed, "deleted" under its name.
        {
          selector: 'node.deleted',
          style: { 'background-opacity': 0.25, 'border-width': 2, 'border-style': 'dashed', 'border-color': '#475467', color: '#475467' },
        },
        { selector: 'node.deleted.violating', style: { 'border-color': '#d92d20', 'border-width': 4 } },
        { selector: 'node.focus', style: { 'overlay-color': '#101828', 'overlay-opacity': 0.15, 'overlay-padding': 5 } },
        { selector: 'node.on-path', style: { 'underlay-color': '#d92d20', 'underlay-opacity': 0.25, 'underlay-padding': 6 } },
        {
          selector: 'edge',
          style: {
            width: 1.5,
            'line-color': '#98a2b3',
            'target-arrow-color': '#98a2b3',
            'target-arrow-shape': 'triangle',
            'curve-style': 'bezier',
            label: 'data(label)',
            'font-size': 10,
            color: '#344054',
            'text-rotation': 'autorotate',
            // Readable over the lines (WCAG AA: #344054 and #b42318 on white are above 4.5:1).
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.9,
            'text-background-padding': '1px',
          },
        },
        { selector: 'edge.merged', style: { width: 'mapData(count, 2, 100, 2.5, 6)' } },
        { selector: 'edge.on-path', style: { width: 4, 'line-color': '#d92d20', 'target-arrow-color': '#d92d20', color: '#b42318' } },
      ],
    });
    this.cy.on('tap', 'node', (event) => {
      const data = (event.target as cytoscape.NodeSingular).data() as {
        kind?: string;
        namespace?: string;
        name?: string;
        service?: string;
        region?: string;
      };
      if (data.kind === 'dataset') onPick({ kind: 'dataset', namespace: data.namespace ?? '', name: data.name ?? '' });
      if (data.kind === 'actor') onPick({ kind: 'actor', service: data.service ?? '', region: data.region ?? '' });
    });
    this.cy.on('tap', 'edge', (event) => {
      const edge = event.target as cytoscape.EdgeSingular;
      const merged = edge.data('merged') as MergedEdge;
      const name = (id: string) => {
        const node = this.cy.$id(id).data() as { kind?: string; name?: string; service?: string } | undefined;
        return node?.kind === 'dataset' ? (node.name ?? id) : node?.service ? `${node.service} (reader)` : id;
      };
      onEdge(merged, name);
    });
    // The canvas follows its panel (the hop list under it changes height, the window is resized).
    new ResizeObserver(() => {
      this.cy.resize();
      this.fit();
    }).observe(container);
    (window as unknown as { borderlineGraph: Core }).borderlineGraph = this.cy; // for tests and curious people
  }

  /** Everything in view, with a margin. */
  fit(): void {
    this.cy.fit(undefined, 30);
  }

  /** The whole graph as drawn, as a PNG (white background, twice the screen's resolution). */
  png(): Blob {
    return this.cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff' });
  }

  /** Draws a lineage answer; `highlight` names the node ids and event ids of a path to mark. Returns the edges as drawn (merged). */
  draw(
    lineage: LineageAnswer,
    focusId: string | undefined,
    highlight: { nodes: Set<string>; events: Set<string> } = { nodes: new Set(), events: new Set() },
  ): MergedEdge[] {
    const elements: ElementDefinition[] = [];
    const regions = new Map<string, { label: string; colour: string }>();
    for (const node of lineage.nodes) {
      const regionKey = `region:${node.provider ?? '?'}/${node.region ?? '?'}`;
      regions.set(regionKey, {
        label: `${node.provider ?? 'unknown provider'} ${node.region ?? 'unknown region'}${node.country ? ` (${node.country})` : ''}`,
        colour: colour(node.provider),
      });
      const classes = [
        node.kind,
        node.openAlertIds.length > 0 ? 'violating' : '',
        node.id === focusId ? 'focus' : '',
        highlight.nodes.has(node.id) ? 'on-path' : '',
        node.deletedAt ? 'deleted' : '',
      ]
        .filter(Boolean)
        .join(' ');
      elements.push({
        group: 'nodes',
        classes,
        data: {
          ...node,
          id: node.id,
          parent: regionKey,
          colour: colour(node.provider),
          // Two lines: the name, then where it lives (the namespace) — one name is often in many places.
          label:
            node.kind === 'dataset'
              ? `${node.name}\n${node.namespace}${node.deletedAt ? `\ndeleted ${node.deletedAt.slice(0, 10)}` : ''}`
              : `${node.service} (reader)`,
        },
      });
    }
    for (const [id, region] of regions) elements.push({ group: 'nodes', classes: 'region', data: { id, ...region } });
    // Repeated movements between the same two nodes are one edge (count, first and last time on a tap).
    const merged = mergeEdges(lineage.edges);
    for (const edge of merged) {
      const onPath = edge.eventIds.some((id) => highlight.events.has(id)) && highlight.nodes.has(edge.from) && highlight.nodes.has(edge.to);
      elements.push({
        group: 'edges',
        classes: [onPath ? 'on-path' : '', edge.count > 1 ? 'merged' : ''].filter(Boolean).join(' '),
        data: { id: edge.id, source: edge.from, target: edge.to, label: edgeLabel(edge), count: edge.count, merged: edge },
      });
    }
    this.cy.elements().remove();
    this.cy.add(elements);
    this.cy
      .layout({
        name: 'fcose',
        animate: false,
        nodeDimensionsIncludeLabels: true,
        idealEdgeLength: 90,
        nodeRepulsion: 6000,
      } as cytoscape.LayoutOptions)
      .run();
    this.separateRegions();
    this.fit();
    // For `npm run bench:web`: when the first graph stood on the page (User Timing, from navigation start).
    if (performance.getEntriesByName('borderline:first-graph').length === 0) performance.mark('borderline:first-graph');
    this.container.dataset.violating = lineage.nodes
      .filter((n) => n.openAlertIds.length > 0)
      .map((n) => n.id)
      .join(' ');
    this.container.dataset.highlighted = [...highlight.nodes].join(' ');
    this.container.dataset.deleted = lineage.nodes
      .filter((n) => n.deletedAt)
      .map((n) => n.id)
      .join(' ');
    return merged;
  }

  /** Region boxes apart (separate-boxes.ts): each region's nodes move together, labels included. */
  private separateRegions(): void {
    const regions = this.cy.nodes('.region');
    const offsets = separateBoxes(regions.map((r) => r.boundingBox({ includeLabels: true })));
    regions.forEach((region, i) => {
      const { x, y } = offsets[i] ?? { x: 0, y: 0 };
      if (x !== 0 || y !== 0) region.children().shift({ x, y });
    });
  }
}
