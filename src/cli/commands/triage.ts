import type { Command } from 'commander';
import pc from 'picocolors';
import { ApiAlert } from '../../api/api-schemas.js';
import { addApiTarget, ApiError, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { formatAlertLine, printAnswer } from '../render-answer.js';

export interface TriageOptions extends ApiTarget {
  ack?: boolean;
  reopen?: boolean;
  note?: string;
  assignee?: string;
}

/** `borderline triage ID`: shows the alert with its triage, or acknowledges or reopens it (docs/api.md, "Waivers and triage"). */
export async function runTriage(alertId: string, options: TriageOptions, io: CliIo): Promise<ExitCode> {
  if (options.ack && options.reopen) throw new ApiError('give --ack or --reopen, not both');
  const state = options.ack ? 'acknowledged' : options.reopen ? 'open' : undefined;
  if (!state && (options.note !== undefined || options.assignee !== undefined))
    throw new ApiError('--note and --assignee go with --ack or --reopen');
  const path = `/alerts/${encodeURIComponent(alertId)}`;
  const alert = ApiAlert.parse(
    state
      ? await callApi(
          options,
          `${path}/triage`,
          {},
          { state, note: options.note ?? '', ...(options.assignee ? { assignee: options.assignee } : {}) },
        )
      : await callApi(options, path, {}),
  );
  printAnswer(io.stdout, options, alert, () => {
    const lines = [formatAlertLine(alert)];
    if (alert.waived && alert.waiver)
      lines.push(pc.yellow(`  waived until ${alert.waiver.until} (approved by ${alert.waiver.approvedBy}): ${alert.waiver.justification}`));
    const triage = alert.triage;
    lines.push(
      triage
        ? `  triage: ${triage.state}${triage.assignee ? `, assigned to ${triage.assignee}` : ''}`
        : '  triage: open (nobody has triaged it)',
    );
    for (const h of triage?.history ?? [])
      lines.push(`    ${h.at} ${h.by}: ${h.state}${h.assignee ? ` (assignee ${h.assignee})` : ''} — ${h.note}`);
    return lines.join('\n');
  });
  return 0;
}

export function addTriageCommand(program: Command, io: CliIo, finish: Finish): void {
  addApiTarget(program.command('triage'), io.env)
    .description('show an alert with its triage, or acknowledge or reopen it with a note (never changes its status)')
    .argument('<alertId>', 'the alert, as `alerts --json` or the page shows it')
    .option('--ack', 'acknowledge: a known case someone is on')
    .option('--reopen', 'back to open triage')
    .option('--note <text>', 'why (required with --ack or --reopen; kept with the change)')
    .option('--assignee <name>', 'who works on it')
    .action(async (alertId: string, options: TriageOptions) => finish(await runTriage(alertId, options, io)));
}
