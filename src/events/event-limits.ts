/**
 * How much one event may ask of the tracker (docs/contract.md §2 leaves the bounds to us; docs/events.md
 * states them). Each movement of an event is written and evaluated in one transaction that locks
 * every dataset it names; without bounds one event could hold those locks for minutes (20,000
 * labels on one dataset did) while every partition waits. An event over a limit is refused, and
 * dead-lettered with the reason.
 */
export const EVENT_LIMITS = {
  /** Inputs of one event. */
  inputs: 500,
  /** Outputs of one event. */
  outputs: 500,
  /** (input, output) pairs of one copy, move or derive: the movements it writes. */
  movements: 10_000,
  /** Labels asserted on one dataset reference (and labels one derive removes). */
  classifications: 100,
} as const;

/** What is over the limits in an event, as `field: problem` lines (empty when within them). */
export function describeLimitBreaches(event: { inputs: readonly unknown[]; outputs?: readonly unknown[] | undefined }): string[] {
  const pairs = event.inputs.length * (event.outputs?.length ?? 0);
  return pairs > EVENT_LIMITS.movements
    ? [
        `outputs: ${event.inputs.length} inputs × ${event.outputs?.length ?? 0} outputs make ${pairs} movements; an event makes at most ${EVENT_LIMITS.movements} (split the run into several events)`,
      ]
    : [];
}

/**
 * Every limit an event built without the schema (an OpenLineage run mapped to events) must keep:
 * inputs, outputs, movements and labels per dataset, as `field: problem` lines.
 */
export function describeAllLimitBreaches(event: {
  inputs: ReadonlyArray<{ classifications?: readonly string[] | undefined }>;
  outputs?: ReadonlyArray<{ classifications?: readonly string[] | undefined }> | undefined;
}): string[] {
  const problems: string[] = [];
  if (event.inputs.length > EVENT_LIMITS.inputs)
    problems.push(`inputs: ${event.inputs.length} inputs; an event names at most ${EVENT_LIMITS.inputs}`);
  if ((event.outputs?.length ?? 0) > EVENT_LIMITS.outputs)
    problems.push(`outputs: ${event.outputs?.length} outputs; an event names at most ${EVENT_LIMITS.outputs}`);
  const labelled = [...event.inputs, ...(event.outputs ?? [])].find((d) => (d.classifications?.length ?? 0) > EVENT_LIMITS.classifications);
  if (labelled)
    problems.push(`classifications: a dataset asserts ${labelled.classifications?.length} labels; at most ${EVENT_LIMITS.classifications}`);
  return [...problems, ...describeLimitBreaches(event)];
}
