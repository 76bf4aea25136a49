import type { DataMovementEvent } from '../../src/events/data-movement-event.js';
import type { PolicyIndex } from '../../src/policy/policy-index.js';

/** What the reference expects of one (policy, node) alert at the end. */
export interface ExpectedAlert {
  policyId: string;
  node: string;
  reason: string;
  status: 'open' | 'remediated';
}

const datasetKey = (namespace: string, name: string) => `dataset|${namespace}|${name}`;

/**
 * A deliberately naive reference of docs/contract.md §3–5, written for the tests: the earliest time each
 * protected label reaches each node is the least fixpoint of "an edge at t carries every label its
 * source holds by t + skew", computed by sweeping all edges until nothing changes. No increments,
 * no database, no arrival order. Datasets must keep one location throughout (the generator does).
 */
export function referenceAlerts(events: readonly DataMovementEvent[], policies: PolicyIndex): Map<string, ExpectedAlert> {
  const protectedLabels = new Set(policies.protectedLabels);
  const since = new Map<string, number>(); // `${node}\u0000${label}` -> earliest arrival
  const location = new Map<string, { kind: 'dataset' | 'actor'; namespace: string; provider: string | null; region: string | null }>();
  const edges: Array<{ from: string; to: string; t: number; removes: string[] }> = [];
  const deletes: Array<{ node: string; t: number }> = [];
  const lower = (key: string, t: number) => {
    if (t < (since.get(key) ?? Infinity)) {
      since.set(key, t);
      return true;
    }
    return false;
  };

  for (const event of events) {
    const t = Date.parse(event.eventTime);
    for (const ref of [...event.inputs, ...(event.outputs ?? [])]) {
      const key = datasetKey(ref.namespace, ref.name);
      if (!location.has(key) || ref.region)
        location.set(key, {
          kind: 'dataset',
          namespace: ref.namespace,
          provider: ref.provider ?? null,
          region: ref.region?.toLowerCase() ?? null,
        });
      for (const label of ref.classifications ?? []) if (protectedLabels.has(label)) lower(`${key}\u0000${label}`, t);
    }
    if (event.operation === 'delete') for (const ref of event.inputs) deletes.push({ node: datasetKey(ref.namespace, ref.name), t });
    if (event.operation === 'access') {
      const actor = `actor|${event.actor.service}|${event.actor.region.toLowerCase()}`;
      location.set(actor, {
        kind: 'actor',
        namespace: '',
        provider: event.actor.provider ?? null,
        region: event.actor.region.toLowerCase(),
      });
      for (const ref of event.inputs) edges.push({ from: datasetKey(ref.namespace, ref.name), to: actor, t, removes: [] });
    }
    if (event.operation === 'copy' || event.operation === 'move' || event.operation === 'derive') {
      const removes = event.operation === 'derive' ? (event.removesClassifications ?? []) : [];
      for (const input of event.inputs)
        for (const output of event.outputs)
          edges.push({ from: datasetKey(input.namespace, input.name), to: datasetKey(output.namespace, output.name), t, removes });
    }
  }

  for (let changed = true; changed;) {
    changed = false;
    for (const edge of edges) {
      for (const label of protectedLabels) {
        const held = since.get(`${edge.from}\u0000${label}`);
        if (held !== undefined && held <= edge.t + policies.skewMs && !edge.removes.includes(label))
          changed = lower(`${edge.to}\u0000${label}`, edge.t) || changed;
      }
    }
  }

  const alerts = new Map<string, ExpectedAlert & { since: number }>();
  for (const [key, t] of since) {
    const [node, label] = key.split('\u0000') as [string, string];
    const where = location.get(node)!;
    const placed = policies.locate(
      where.kind === 'dataset'
        ? { kind: 'dataset', namespace: where.namespace, provider: where.provider, region: where.region }
        : { kind: 'actor', provider: where.provider, region: where.region },
    );
    for (const { policy, reason } of policies.violations(label, placed)) {
      const id = `${policy.id}|${node}`;
      const current = alerts.get(id);
      alerts.set(id, { policyId: policy.id, node, reason, status: 'open', since: Math.min(t, current?.since ?? Infinity) });
    }
  }
  for (const alert of alerts.values()) {
    if (deletes.some((d) => d.node === alert.node && d.t >= alert.since)) alert.status = 'remediated';
  }
  return new Map([...alerts].map(([id, { since: _since, ...alert }]) => [id, alert]));
}
