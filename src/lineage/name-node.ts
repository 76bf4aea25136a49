import type { NodeRef } from '../policy/alert.js';

// Plain functions on node references, shared by the API, the CLI, the report, the demo and the web
// page (no zod here: the page's bundle stays small).

/** A node's stable id in API answers: `dataset/<namespace>/<name>` or `actor/<service>/<region>`, each part URI-encoded. */
export function nodeIdOf(node: NodeRef): string {
  return node.kind === 'dataset'
    ? `dataset/${encodeURIComponent(node.namespace)}/${encodeURIComponent(node.name)}`
    : `actor/${encodeURIComponent(node.service)}/${encodeURIComponent(node.region)}`;
}

/** `namespace name` for a dataset, `service (actor)` for a reader (`actorWord` names it otherwise). */
export function nodeName(node: NodeRef, actorWord = 'actor'): string {
  return node.kind === 'dataset' ? `${node.namespace} ${node.name}` : `${node.service} (${actorWord})`;
}

/** `provider region (CC)`, or an empty string when nothing is known. */
export function placeText(place: { provider?: string | undefined; region?: string | undefined; country?: string | undefined }): string {
  return [place.provider, place.region].filter(Boolean).join(' ') + (place.country ? ` (${place.country})` : '');
}
