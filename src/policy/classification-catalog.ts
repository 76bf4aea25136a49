import type { DatasetRef } from '../events/dataset-ref.js';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { ClassifyEntry } from './policy-file.js';

/** Whether `value` matches a catalog pattern: exact, or a prefix ending in `*` (the policy file's one pattern syntax). */
export const matchesPattern = (pattern: string, value: string): boolean =>
  pattern.endsWith('*') ? value.startsWith(pattern.slice(0, -1)) : value === pattern;

/**
 * Whether a node is in a list's scope: with neither list given, every node; otherwise a dataset whose
 * namespace matches one of `namespace` (exact or prefix*) or an actor whose service is one of `service`.
 */
export function matchesScope(
  scope: { namespace?: readonly string[] | undefined; service?: readonly string[] | undefined },
  node: { namespace: string | null; service: string | null },
): boolean {
  if (scope.namespace === undefined && scope.service === undefined) return true;
  if (node.namespace !== null && (scope.namespace ?? []).some((p) => matchesPattern(p, node.namespace ?? ''))) return true;
  return node.service !== null && (scope.service ?? []).includes(node.service);
}

/**
 * The policy's classification catalog (docs/contract.md §10): the labels a dataset holds because the policy
 * says so, whatever its producers know of labels.
 */
export class ClassificationCatalog {
  constructor(readonly entries: readonly ClassifyEntry[]) {}

  /** Every label the catalog can assign. */
  get labels(): string[] {
    return [...new Set(this.entries.flatMap((e) => e.classifications))].sort();
  }

  /** The labels the catalog assigns to a dataset (none when no entry matches). */
  labelsOf(namespace: string, name: string): string[] {
    const labels = this.entries
      .filter((e) => matchesPattern(e.namespace, namespace) && (e.name === undefined || matchesPattern(e.name, name)))
      .flatMap((e) => e.classifications);
    return [...new Set(labels)];
  }

  /**
   * The event with the catalog's labels asserted on every dataset it names, at its eventTime. A dataset
   * is so asserted by every event that names it, so it holds them from the earliest of those — its
   * first appearance, whatever order the events arrive in (§3) — and every movement out of it carries them.
   */
  classify(event: DataMovementEvent): DataMovementEvent {
    if (this.entries.length === 0) return event;
    const label = (ref: DatasetRef): DatasetRef => {
      const extra = this.labelsOf(ref.namespace, ref.name);
      if (extra.length === 0) return ref;
      return { ...ref, classifications: [...new Set([...(ref.classifications ?? []), ...extra])] };
    };
    return { ...event, inputs: event.inputs.map(label), ...(event.outputs ? { outputs: event.outputs.map(label) } : {}) };
  }
}
