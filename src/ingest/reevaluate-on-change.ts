import type { Logger } from '../observability/create-logger.js';
import type { PolicyFile } from '../policy/policy-file.js';
import { policyFingerprint } from '../policy/policy-fingerprint.js';
import type { PolicyReevaluation, ReevaluationOutcome, ReevaluationProgress } from '../ports/policy-reevaluation.js';

/** Where a re-evaluation's progress is shown besides the log: /metrics and /healthz. */
export interface ReevaluationWatcher {
  reevaluationProgress(progress: ReevaluationProgress | undefined): void;
}

/** The process is stopping: the re-evaluation is left where it is, for the next start to run again. */
export class ReevaluationAbandoned extends Error {}

/** How often progress is logged, at most. */
const LOG_EVERY_MS = 5_000;

/**
 * At start (docs/contract.md §13, docs/policy-changes.md): when the graph was last judged under another
 * policy than `file` — or its judgement was never recorded — re-evaluates the whole graph under
 * `file`, while events are consumed under it. Resolves to what changed, or undefined when nothing
 * had to; rejects with ReevaluationAbandoned once `abandoned()` says the process is stopping.
 */
export async function reevaluateOnChange(
  file: PolicyFile,
  store: PolicyReevaluation,
  options: { outbox: string; logger: Logger; watcher: ReevaluationWatcher; abandoned?: () => boolean },
): Promise<ReevaluationOutcome | undefined> {
  const { logger, watcher } = options;
  const fingerprint = policyFingerprint(file);
  const judged = await store.judgedPolicy();
  if (judged?.fingerprint === fingerprint) {
    logger.info({ fingerprint: fingerprint.slice(0, 12), judgedAt: judged.judgedAt }, 'policy unchanged since the graph was last judged');
    return undefined;
  }
  logger.info(
    { fingerprint: fingerprint.slice(0, 12), previous: judged?.fingerprint.slice(0, 12) ?? null },
    'policy changed: re-evaluating the graph (consuming meanwhile, under the new policy)',
  );
  let lastLog = Date.now();
  const onProgress = (progress: ReevaluationProgress) => {
    if (options.abandoned?.()) throw new ReevaluationAbandoned('the process is stopping');
    watcher.reevaluationProgress(progress);
    if (Date.now() - lastLog < LOG_EVERY_MS) return;
    lastLog = Date.now();
    logger.info(progress, 're-evaluating');
  };
  watcher.reevaluationProgress({ phase: 'dropping', done: 0, total: null });
  try {
    const outcome = await store.reevaluate(file, { outbox: options.outbox, onProgress });
    logger.info(
      { ...outcome, fingerprint: fingerprint.slice(0, 12), previous: outcome.previous?.slice(0, 12) ?? null },
      'graph re-evaluated',
    );
    return outcome;
  } finally {
    watcher.reevaluationProgress(undefined);
  }
}
