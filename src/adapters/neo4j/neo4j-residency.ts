import neo4j from 'neo4j-driver';
import type { AsOf } from '../../lineage/as-of.js';
import type { ResidencyAnswer, ResidencyPlacesAnswer } from '../../lineage/answers.js';
import { describeHolding, summarizePlaces } from '../../lineage/residency-inventory.js';
import { isoInstant } from '../../events/event-instant.js';
import type { PolicyIndex } from '../../policy/policy-index.js';
import type { ResidencyFilter, ResidencyScope } from '../../ports/lineage-queries.js';
import { HELD_BY_PLACE, LEFT_BY_PLACE, RESIDENCY_TOTAL, residencyQuery, splitPatterns } from './lineage-query-statements.js';
import type { NodeRow } from './node-rows.js';

/** A place's holders as Neo4j counts them. */
interface PlaceRow {
  isActor: boolean;
  provider: string | null;
  region: string | null;
  namespace: string | null;
  holders: unknown;
}

/** Reads rows of a statement (Neo4jLineageQueries' read: the READ routing, the timeout, the error mapping). */
export type ReadRows = <T extends object>(cypher: string, params: Record<string, unknown>) => Promise<T[]>;

/**
 * The residency questions of the LineageQueries port on Neo4j: where a label lives now (or as of an
 * instant), listed with the true total, narrowed to one verdict, and counted by place.
 */
export class Neo4jResidency {
  constructor(
    private readonly read: ReadRows,
    private readonly policies: PolicyIndex,
  ) {}

  /** The parameters of the residency statements (residencyQuery), and whether a namespace or service filter applies. */
  private residencyParams(
    classification: string,
    within: ResidencyScope,
    asOf: AsOf,
  ): { filtered: boolean; params: Record<string, unknown> } {
    return {
      filtered: within.namespace !== undefined || within.service !== undefined,
      params: {
        label: classification,
        skew: this.policies.skewMs,
        asOf: asOf ?? null,
        ...splitPatterns(within.namespace),
        services: within.service ?? [],
      },
    };
  }

  async residency(classification: string, limit: number, within: ResidencyFilter = {}, asOf?: AsOf): Promise<ResidencyAnswer> {
    const { filtered, params } = this.residencyParams(classification, within, asOf);
    const at = asOf !== undefined ? { asOf: isoInstant(asOf) } : {};
    const describe = (row: NodeRow & { since: number }) => describeHolding(row, classification, row.since, this.policies);
    if (within.approved !== undefined) {
      // Approval is the policy's verdict on a place: Neo4j counts the holders per place, the places
      // are judged here (as for residencyPlaces), and the page lists holders at the places judged so.
      const places = (await this.places(classification, filtered, params)).filter((p) => p.approved === within.approved);
      const total = places.reduce((sum, p) => sum + p.holders, 0);
      const rows =
        total === 0
          ? []
          : await this.read<NodeRow & { since: number }>(residencyQuery(filtered, 'holdings', true), {
              ...params,
              places: places.map((p) => ({
                isActor: p.row.isActor,
                provider: p.row.provider ?? '',
                region: p.row.region ?? '',
                namespace: p.row.namespace ?? '',
              })),
              limit: neo4j.int(limit),
            });
      return { classification, holdings: rows.map(describe), total, truncated: total > limit, ...at };
    }
    const rows = await this.read<NodeRow & { since: number }>(residencyQuery(filtered), { ...params, limit: neo4j.int(limit + 1) });
    // The true total costs a second pass only when the list was cut.
    const total =
      rows.length > limit
        ? Number((await this.read<{ total: number }>(filtered ? residencyQuery(true, 'count') : RESIDENCY_TOTAL, params))[0]?.total ?? 0)
        : rows.length;
    return { classification, holdings: rows.slice(0, limit).map(describe), total, truncated: rows.length > limit, ...at };
  }

  /** Every place's holders, unfiltered: the holdings by place less the holdings left by place (see HELD_BY_PLACE). */
  private async unfilteredPlaces(params: Record<string, unknown>): Promise<PlaceRow[]> {
    const [held, left] = await Promise.all([this.read<PlaceRow>(HELD_BY_PLACE, params), this.read<PlaceRow>(LEFT_BY_PLACE, params)]);
    const key = (r: PlaceRow) => JSON.stringify([r.isActor, r.provider, r.region, r.namespace]);
    const gone = new Map(left.map((r) => [key(r), Number(r.holders)]));
    return held.map((r) => ({ ...r, holders: Number(r.holders) - (gone.get(key(r)) ?? 0) })).filter((r) => r.holders > 0);
  }

  /** The holders of a label counted by Neo4j per stated place (one row each), placed and judged here. */
  private async places(classification: string, filtered: boolean, params: Record<string, unknown>) {
    const rows = filtered ? await this.read<PlaceRow>(residencyQuery(true, 'places'), params) : await this.unfilteredPlaces(params);
    return rows.map((row) => ({
      row,
      ...describeHolding({ ...row, name: null, service: null }, classification, 0, this.policies),
      holders: Number(row.holders),
    }));
  }

  /** The residency panel's summary: every holder counted by place. */
  async residencyPlaces(classification: string, within: ResidencyScope = {}, asOf?: AsOf): Promise<ResidencyPlacesAnswer> {
    const { filtered, params } = this.residencyParams(classification, within, asOf);
    const groups = await this.places(classification, filtered, params);
    return {
      classification,
      total: groups.reduce((sum, g) => sum + g.holders, 0),
      places: summarizePlaces(groups),
      truncated: false,
      ...(asOf !== undefined ? { asOf: isoInstant(asOf) } : {}),
    };
  }
}
