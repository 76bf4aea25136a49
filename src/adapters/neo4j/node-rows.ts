import type { GraphNode } from '../../lineage/graph-node.js';

/** A node as Cypher returns it with `nodeFields(...)`: the domain's GraphNode. */
export type NodeRow = GraphNode;

type NodeVariable = 'x' | 'y' | 'a' | 'b' | 'd';
const NODE_FIELDS = (v: NodeVariable): Array<[keyof NodeRow, string]> => [
  ['isActor', `${v}:Actor`],
  ['namespace', `${v}.namespace`],
  ['name', `${v}.name`],
  ['service', `${v}.service`],
  ['region', `${v}.region`],
  ['provider', `${v}.provider`],
];

/** The RETURN columns of a node bound to `v` (a constant variable name: no value is ever interpolated). */
export const nodeFields = (v: NodeVariable): string =>
  NODE_FIELDS(v)
    .map(([key, value]) => `${value} AS ${key}`)
    .join(', ');

/** The same fields as entries of a map literal (`{id: ..., ${nodeMap('d')}}`). */
export const nodeMap = (v: NodeVariable): string =>
  NODE_FIELDS(v)
    .map(([key, value]) => `${key}: ${value}`)
    .join(', ');
