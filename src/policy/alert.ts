import { z } from 'zod';

const rfc3339 = z.iso.datetime({ offset: true });

export const DatasetNodeRef = z.strictObject({
  kind: z.literal('dataset'),
  namespace: z.string(),
  name: z.string(),
  region: z.string().optional(),
  provider: z.string().optional(),
});
export const ActorNodeRef = z.strictObject({
  kind: z.literal('actor'),
  service: z.string(),
  region: z.string(),
  provider: z.string().optional(),
});
/** A node of the lineage graph as the outside world names it. */
export const NodeRef = z.discriminatedUnion('kind', [DatasetNodeRef, ActorNodeRef]);
export type NodeRef = z.infer<typeof NodeRef>;

/** A residency violation (docs/contract.md §5): one per (policy, node), published when opened and when remediated. */
export const Alert = z
  .strictObject({
    schemaVersion: z.literal('1'),
    alertId: z.string().min(1),
    status: z.enum(['open', 'remediated']),
    policyId: z.string().min(1),
    severity: z.enum(['critical', 'high', 'medium', 'low']),
    reason: z.enum(['unapproved-location', 'unknown-location']),
    classifications: z.array(z.string()).min(1),
    node: NodeRef,
    path: z.array(NodeRef).min(1),
    eventIds: z.array(z.string()),
    traceIds: z.array(z.string()),
    occurredAt: rfc3339,
    detectedAt: rfc3339,
    remediatedBy: z
      .enum(['delete', 'policy'])
      .optional()
      .describe(
        'on a remediated state: what ended the violation — a delete of the data, or a policy change that allows it where it is (docs/contract.md §5, §13)',
      ),
    pathTruncated: z
      .literal(true)
      .optional()
      .describe(
        'present when the witness path was cut to fit the alerts topic: `path` keeps the origin, then the last hops up to the node; `eventIds` are those of the kept hops, `traceIds` stay whole. The API (GET /api/v1/alerts) has the whole path',
      ),
  })
  .meta({
    title: 'Alert',
    description:
      'A residency violation: data carrying a protected label reached a location its policy does not allow (Borderline contract v1).',
  });
export type Alert = z.infer<typeof Alert>;
