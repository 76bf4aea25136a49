import type { ManagedTransaction } from 'neo4j-driver';

/** What the evaluation statements need of a transaction: a managed one (committed) or an explicit one (a dry run, rolled back). */
export type QueryRunner = Pick<ManagedTransaction, 'run'>;
