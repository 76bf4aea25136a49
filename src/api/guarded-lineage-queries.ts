import type { AsOf } from '../lineage/as-of.js';
import pLimit, { type LimitFunction } from 'p-limit';
import { BorderlineError } from '../errors/borderline-error.js';
import type { SearchPage } from '../search/search-datasets.js';
import type { AlertPage, AlertQuery } from '../alerts/alert-filter.js';
import type { TriagedAlert } from '../alerts/triage.js';
import type { NodeRef } from '../policy/alert.js';
import type {
  LineageQueries,
  LineageQuestion,
  PathsQuestion,
  QueryLimits,
  ResidencyFilter,
  ResidencyScope,
} from '../ports/lineage-queries.js';
import type { LineageAnswer, NodeDetail, PathsAnswer, Report, ResidencyAnswer, ResidencyPlacesAnswer } from '../lineage/answers.js';

/** The API answers 503 with `Retry-After`: the graph is away, or too many heavy questions are in flight. */
export class QueryUnavailableError extends BorderlineError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, { retriable: true });
  }
}

export interface QueryGuards {
  /** What the last graph check said (every 5 s): while it failed, questions are answered 503 at once instead of after the driver's retries. */
  graphAvailable: () => boolean;
  /** Heavy questions (report, residency, lineage, paths) run at most this many at a time... */
  heavyConcurrency: number;
  /** ...with at most this many waiting; any more are answered 503. */
  heavyQueue: number;
}

/**
 * The auditors' questions with bounds around them (issue 16, finding 7): a question while the graph
 * is known to be away fails fast; the heavy ones share a small pool, so twenty concurrent reports
 * cannot put the database into back-to-back garbage collection and starve ingest. Each question also
 * has the adapter's query timeout.
 */
export class GuardedLineageQueries implements LineageQueries {
  private readonly heavy: LimitFunction;

  constructor(
    private readonly inner: LineageQueries,
    private readonly guards: QueryGuards,
  ) {
    this.heavy = pLimit(guards.heavyConcurrency);
  }

  private available(): void {
    if (!this.guards.graphAvailable()) throw new QueryUnavailableError('the lineage graph is unavailable; try again shortly', 5);
  }

  private async light<T>(question: () => Promise<T>): Promise<T> {
    this.available();
    return question();
  }

  private async bounded<T>(question: () => Promise<T>): Promise<T> {
    this.available();
    if (this.heavy.activeCount + this.heavy.pendingCount >= this.guards.heavyConcurrency + this.guards.heavyQueue) {
      throw new QueryUnavailableError(
        `busy: ${this.heavy.activeCount} heavy questions running and ${this.heavy.pendingCount} waiting (BORDERLINE_API_HEAVY_CONCURRENCY); try again shortly`,
        2,
      );
    }
    return this.heavy(question);
  }

  alerts(query: AlertQuery): Promise<AlertPage> {
    return this.light(() => this.inner.alerts(query));
  }
  alert(alertId: string): Promise<TriagedAlert | undefined> {
    return this.light(() => this.inner.alert(alertId));
  }
  lineage(params: LineageQuestion, limits: QueryLimits): Promise<LineageAnswer | undefined> {
    return this.bounded(() => this.inner.lineage(params, limits));
  }
  residency(classification: string, limit: number, within?: ResidencyFilter, asOf?: AsOf): Promise<ResidencyAnswer> {
    return this.bounded(() => this.inner.residency(classification, limit, within, asOf));
  }
  residencyPlaces(classification: string, within?: ResidencyScope, asOf?: AsOf): Promise<ResidencyPlacesAnswer> {
    return this.bounded(() => this.inner.residencyPlaces(classification, within, asOf));
  }
  paths(params: PathsQuestion, limits: QueryLimits): Promise<PathsAnswer | undefined> {
    return this.bounded(() => this.inner.paths(params, limits));
  }
  node(node: NodeRef): Promise<NodeDetail | undefined> {
    return this.light(() => this.inner.node(node));
  }
  report(filter?: { policyId?: string | undefined }): Promise<Report> {
    return this.bounded(() => this.inner.report(filter));
  }
  searchDatasets(text: string, page: { offset: number; limit: number }): Promise<SearchPage<NodeRef>> {
    return this.light(() => this.inner.searchDatasets(text, page));
  }
}
