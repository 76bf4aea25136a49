import type { ApiAlert } from '../api/api-schemas.js';

// The page's small DOM helpers, shared by its panels.

export const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;

/** An element with a class and text. */
export function text(tag: string, className: string, content: string): HTMLElement {
  const el = document.createElement(tag);
  el.className = className;
  el.textContent = content;
  return el;
}

export const nodeLabel = (n: ApiAlert['node']) =>
  n.kind === 'dataset' ? `${n.namespace} ${n.name}` : `${n.service} reading from ${n.region}`;
export const place = (n: { provider?: string | undefined; region?: string | undefined }) =>
  [n.provider, n.region].filter(Boolean).join(' ') || 'unknown location';
