import { Neo4jError } from 'neo4j-driver';
import { describe, expect, it } from 'vitest';
import { wrap } from '../../../src/adapters/neo4j/neo4j-graph-store.js';

const error = (code: string, message = `server said ${code}`) => new Neo4jError(message, code, '50N42', 'general processing exception');

describe('Neo4j failures, classified once (issue 16, finding 2)', () => {
  it.each([
    'Neo.ClientError.Transaction.TransactionTimedOut',
    'Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration',
    'Neo.TransientError.Transaction.DeadlockDetected',
    'Neo.ClientError.Transaction.Terminated',
    'Neo.ClientError.Transaction.LockClientStopped',
    'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
    'ServiceUnavailable',
    'SessionExpired',
  ])('retries %s: it passes', (code) => {
    expect(wrap('write', error(code))).toMatchObject({ retriable: true });
  });

  it('does not retry a transaction over the memory limit per transaction: the batch is split, the event at fault dead-lettered', () => {
    const wrapped = wrap('write', error('Neo.TransientError.General.TransactionMemoryLimit'));
    expect(wrapped.retriable).toBe(false);
    expect(wrapped.message).toContain("too large for the database's memory limit per transaction");
  });

  it('does not retry what Neo4j 5 answers over db.memory.transaction.max (its message names the setting), but retries a full global pool', () => {
    const over = error(
      'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
      'The allocation of an extra 2.0 MiB would use more than the limit 16.0 MiB. Currently using 15.0 MiB. db.memory.transaction.max threshold reached',
    );
    expect(wrap('write', over)).toMatchObject({ retriable: false });
    expect(wrap('write', over).message).toContain("too large for the database's memory limit per transaction");
    const pool = error(
      'Neo.TransientError.General.MemoryPoolOutOfMemoryError',
      'The allocation of an extra 2.0 MiB would use more than the limit 2.0 GiB. Currently using 2.0 GiB. db.memory.transaction.total.max threshold reached',
    );
    expect(wrap('write', pool)).toMatchObject({ retriable: true });
  });

  it.each(['Neo.ClientError.Statement.SyntaxError', 'Neo.ClientError.Schema.ConstraintValidationFailed'])('does not retry %s', (code) => {
    expect(wrap('write', error(code)).retriable).toBe(false);
  });
});
