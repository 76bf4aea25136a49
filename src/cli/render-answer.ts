import Table from 'cli-table3';
import pc from 'picocolors';
import { nodeName, placeText } from '../lineage/name-node.js';
import type { Alert } from '../policy/alert.js';
import type { ApiTarget } from './api-client.js';
import type { OutputStream } from './cli-io.js';

/** A node's place for people; "unknown" in yellow when no event or catalog located it. */
export const where = (n: Parameters<typeof placeText>[0]) => placeText(n) || pc.yellow('unknown');

export const statusText = (s: Alert['status']) => (s === 'open' ? pc.red('open') : pc.green('remediated'));

/** A table with bold headers and no colour on its borders. */
export const table = (head: string[]) => new Table({ head: head.map((h) => pc.bold(h)), style: { head: [], border: [] } });

/** Prints the API's answer as JSON with --json, else as `render` draws it. */
export function printAnswer(out: OutputStream, target: ApiTarget, value: unknown, render: () => string): void {
  out.write(target.json ? `${JSON.stringify(value, null, 2)}\n` : `${render()}\n`);
}

/** One line per alert, as the demo and `alerts` print it: status, policy, node, path. */
export function formatAlertLine(alert: Alert): string {
  const path = alert.path.map((n) => (n.kind === 'dataset' ? n.name : `${n.service}@${n.region}`)).join(' → ');
  return `${statusText(alert.status)} ${pc.bold(alert.policyId)} [${alert.severity}] ${nodeName(alert.node)} in ${where(alert.node)}: ${path}`;
}

/** A witness path as one line: every hop when it is short, else origin, the last hops and how many were left out. */
export function pathText(path: Alert['path']): string {
  const names = path.map((n) => (n.kind === 'dataset' ? n.name : n.service));
  return names.length <= 4 ? names.join(' → ') : [names[0], `… ${names.length - 3} more …`, ...names.slice(-2)].join(' → ');
}
