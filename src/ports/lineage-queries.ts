import type { AsOf } from '../lineage/as-of.js';
import type { SearchPage } from '../search/search-datasets.js';
import type { AlertPage, AlertQuery } from '../alerts/alert-filter.js';
import type { TriagedAlert } from '../alerts/triage.js';
import type { NodeRef } from '../policy/alert.js';
import type { LineageAnswer, NodeDetail, PathsAnswer, Report, ResidencyAnswer, ResidencyPlacesAnswer } from '../lineage/answers.js';

/** The lineage around a dataset (docs/contract.md §6, `/lineage`): how far, which way, and at what time. */
export interface LineageQuestion {
  namespace: string;
  name: string;
  direction: 'upstream' | 'downstream' | 'both';
  depth: number;
  /** Epoch ms: the graph as the events up to this eventTime make it (src/lineage/as-of.ts); now when undefined. */
  asOf?: AsOf;
}

/** How data got from a dataset to another dataset or to a reader (docs/contract.md §6, `/paths`). */
export interface PathsQuestion {
  fromNamespace: string;
  fromName: string;
  toNamespace?: string | undefined;
  toName?: string | undefined;
  toService?: string | undefined;
  toRegion?: string | undefined;
  /** Follow only movements that carry this label (any data when absent). */
  classification?: string | undefined;
  maxDepth: number;
}

/** Which holders a residency question is about: namespaces (exact or `prefix*`) and actor services. */
export interface ResidencyScope {
  namespace?: string[] | undefined;
  service?: string[] | undefined;
}

/** A residency question's narrowing: its scope and, when given, only the holdings the policy approves (true) or not (false). */
export interface ResidencyFilter extends ResidencyScope {
  approved?: boolean | undefined;
}

/** How far a query may reach: answers beyond these caps are cut and marked `truncated`. */
export interface QueryLimits {
  maxNodes: number;
  maxEdges: number;
}

/**
 * Read-only questions auditors ask the lineage graph (docs/contract.md §6). `undefined` means the named node
 * does not exist. Implementations reject with a retriable error when the store is unreachable.
 */
export interface LineageQueries {
  /** One page of the alerts matching the filter, latest state first, with the true total and counts by status. */
  alerts(query: AlertQuery): Promise<AlertPage>;
  /** One alert in its current state, with its triage; `undefined` when there is none with this id. */
  alert(alertId: string): Promise<TriagedAlert | undefined>;
  /** The lineage around a dataset, or as the events up to `params.asOf` made it (src/lineage/as-of.ts). */
  lineage(params: LineageQuestion, limits: QueryLimits): Promise<LineageAnswer | undefined>;
  /**
   * Where a label lives now (or as of `asOf`), at most `limit` holdings (`truncated` when there are
   * more; `total` counts them all); `within` narrows to namespaces (exact or prefix*), actor services,
   * and approved or unapproved holdings.
   */
  residency(classification: string, limit: number, within?: ResidencyFilter, asOf?: AsOf): Promise<ResidencyAnswer>;
  /**
   * Where a label lives now (or as of `asOf`), counted by place over every holding
   * (`summarizePlaces`, src/lineage/residency-inventory.ts): what the residency panel shows.
   */
  residencyPlaces(classification: string, within?: ResidencyScope, asOf?: AsOf): Promise<ResidencyPlacesAnswer>;
  /** The earliest-arriving time-respecting path; `undefined` when either end is unknown. */
  paths(params: PathsQuestion, limits: QueryLimits): Promise<PathsAnswer | undefined>;
  node(node: NodeRef): Promise<NodeDetail | undefined>;
  /** The audit report, for every loaded policy or for one: the summary whole, one page of residual copies (default the first 100). */
  report(filter?: { policyId?: string | undefined; offset?: number; limit?: number }): Promise<Report>;
  /** Datasets matching every word of `text` in "namespace name", ranked (src/lineage/search-datasets.ts): one page and the total. */
  searchDatasets(text: string, page: { offset: number; limit: number }): Promise<SearchPage<NodeRef>>;
}
