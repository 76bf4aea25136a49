import { ClassificationCatalog } from './classification-catalog.js';
import { evaluateLocation } from './evaluate-location.js';
import type { Policy, PolicyFile, Waiver } from './policy-file.js';
import { createStoreCatalog, type Location } from './store-catalog.js';

export interface Violation {
  policy: Policy;
  reason: 'unapproved-location' | 'unknown-location';
}

/** A located node: a dataset (whose location the store catalog may supply) or an actor. */
export type LocatedNode =
  | { kind: 'dataset'; namespace: string; provider: string | null; region: string | null }
  | { kind: 'actor'; provider: string | null; region: string | null };

/** The key of a missing provider or region among the memoized verdicts (no provider or region is named so). */
const NONE = '\u0000';
/** How many (label, provider, region) verdicts a policy index remembers at most (a real estate has a few dozen places). */
const MAX_REMEMBERED_VERDICTS = 10_000;

/** The loaded policy file, indexed for evaluation. */
export class PolicyIndex {
  readonly protectedLabels: string[];
  readonly policies: readonly Policy[];
  readonly skewMs: number;
  /** The classification catalog (docs/contract.md §10): labels datasets hold because the policy says so. */
  readonly catalog: ClassificationCatalog;
  /** Accepted exceptions (docs/contract.md §12), as the file lists them (expired ones included: the report and the API show them). */
  readonly waivers: readonly Waiver[];
  private readonly byLabel = new Map<string, Policy[]>();
  private readonly storeLocation: (namespace: string) => Location | undefined;
  /** Violations by label, provider and region (NONE for a missing one), as `violations` found them. */
  private readonly verdicts = new Map<string, Map<string, Map<string, readonly Violation[]>>>();
  private remembered = 0;

  constructor(file: PolicyFile) {
    this.policies = file.policies;
    for (const policy of file.policies) {
      for (const label of policy.classifications) this.byLabel.set(label, [...(this.byLabel.get(label) ?? []), policy]);
    }
    this.protectedLabels = [...this.byLabel.keys()].sort();
    this.skewMs = file.clockSkewToleranceMs;
    this.storeLocation = createStoreCatalog(file.stores);
    this.catalog = new ClassificationCatalog(file.classify);
    this.waivers = file.waivers;
  }

  /** Every label the policy file names: those its policies protect and those its catalog assigns. */
  get knownLabels(): string[] {
    return [...new Set([...this.protectedLabels, ...this.catalog.labels])].sort();
  }

  /** The policies that protect `label` (none for a label no policy names). */
  protecting(label: string): Policy[] {
    return this.byLabel.get(label) ?? [];
  }

  /** Where a node's location comes from: an event, the store catalog, or nowhere. */
  locationSource(node: LocatedNode): 'event' | 'store-catalog' | 'unknown' {
    if (node.region) return 'event';
    return node.kind === 'dataset' && this.storeLocation(node.namespace) ? 'store-catalog' : 'unknown';
  }

  /** Where a node is: what events said, else (datasets) the store catalog, else unknown. */
  locate(node: LocatedNode): Location {
    if (node.region) return { provider: node.provider, region: node.region };
    if (node.kind === 'dataset') return this.storeLocation(node.namespace) ?? { provider: node.provider, region: null };
    return { provider: node.provider, region: null };
  }

  /**
   * The policies that protect `label` and do not allow `location`. Policies do not change once
   * loaded, so each (label, provider, region) is evaluated once (propagation asks for the same few
   * places again and again); the list returned is shared and must not be changed.
   */
  violations(label: string, location: Location): readonly Violation[] {
    let byProvider = this.verdicts.get(label);
    if (!byProvider) this.verdicts.set(label, (byProvider = new Map<string, Map<string, readonly Violation[]>>()));
    const provider = location.provider ?? NONE;
    let byRegion = byProvider.get(provider);
    if (!byRegion) byProvider.set(provider, (byRegion = new Map<string, readonly Violation[]>()));
    const region = location.region ?? NONE;
    let found = byRegion.get(region);
    if (!found) {
      found = (this.byLabel.get(label) ?? []).flatMap((policy) => {
        const verdict = evaluateLocation(policy, location);
        return verdict.allowed ? [] : [{ policy, reason: verdict.reason }];
      });
      // Places come from events: past this many remembered verdicts, new ones are evaluated each time.
      if (this.remembered < MAX_REMEMBERED_VERDICTS) {
        byRegion.set(region, found);
        this.remembered += 1;
      }
    }
    return found;
  }
}
