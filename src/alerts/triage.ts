import { z } from 'zod';
import type { Alert } from '../policy/alert.js';

const rfc3339 = z.iso.datetime({ offset: true });

/** Where an auditor has got with an alert (docs/contract.md §12). Never the alert's `status`: that stays what the events say. */
export const TriageState = z.enum(['open', 'acknowledged']);
export type TriageState = z.infer<typeof TriageState>;

/** One triage change, kept for ever: when, by whom (the API token's name, or `local`), to which state, and why. */
export const TriageEntry = z.strictObject({
  at: rfc3339,
  by: z.string(),
  state: TriageState,
  note: z.string(),
  assignee: z.string().optional(),
});
export type TriageEntry = z.infer<typeof TriageEntry>;

/** An alert's triage: its state now, who it is assigned to, and every change. */
export const Triage = z
  .strictObject({ state: TriageState, assignee: z.string().optional(), history: z.array(TriageEntry) })
  .meta({ title: 'Triage' });
export type Triage = z.infer<typeof Triage>;

/** The body of `POST /api/v1/alerts/{alertId}/triage`. */
export const TriageRequest = z.strictObject({
  state: TriageState,
  note: z.string().trim().min(1, 'say why (a note is kept with the change)').max(4_000),
  assignee: z.string().trim().min(1).max(200).optional(),
});
export type TriageRequest = z.infer<typeof TriageRequest>;

/** An alert with its triage, when anyone has triaged it (docs/contract.md §12). */
export type TriagedAlert = Alert & { triage?: Triage };

/**
 * An alert's triage after one more change (docs/contract.md §12): the change's state; its assignee, or the
 * one before; the change appended to the history (nothing is ever dropped).
 */
export function applyTriage(previous: Triage | undefined, entry: TriageEntry): Triage {
  const assignee = entry.assignee ?? previous?.assignee;
  return { state: entry.state, ...(assignee !== undefined ? { assignee } : {}), history: [...(previous?.history ?? []), entry] };
}

/** The triage state an alert is filtered by: `open` until someone acknowledges it. */
export const triageStateOf = (alert: { triage?: Triage | undefined }) => alert.triage?.state ?? 'open';
