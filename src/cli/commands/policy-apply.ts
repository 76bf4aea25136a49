import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import pc from 'picocolors';
import { PolicyApplyResponse, PolicyStatusResponse, ReevaluationResponse } from '../../api/api-schemas.js';
import { loadPolicyFile } from '../../policy/load-policy-file.js';
import { addApiTarget, callApi, type ApiTarget } from '../api-client.js';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import { printAnswer } from '../render-answer.js';

type ApplyOptions = ApiTarget & { dryRun?: boolean };

const count = (n: number) => n.toLocaleString('en-US');
const short = (fingerprint: string | null) => (fingerprint ? fingerprint.slice(0, 12) : '(never judged)');
const labels = (list: readonly string[]) => (list.length > 0 ? list.join(', ') : 'none');

/** A dry run's figures at a glance: one line per kind of change. */
export function renderPreview(file: string, preview: ReevaluationResponse, status: PolicyStatusResponse): string {
  const judged = status.judged ? ` (graph judged ${status.judged.judgedAt})` : '';
  const alerts = [
    preview.opened > 0 ? pc.red(`+${count(preview.opened)} to open`) : '0 to open',
    preview.reopened > 0 ? pc.red(`${count(preview.reopened)} to open again`) : '',
    preview.remediated > 0 ? pc.green(`−${count(preview.remediated)} to remediate (by policy)`) : '0 to remediate',
  ].filter(Boolean);
  return [
    `${pc.bold(file)} would change the graph as follows ${pc.dim('(dry run: nothing was changed)')}`,
    `  policy    ${short(preview.previous)} → ${short(preview.fingerprint)}${judged}`,
    `  labels    newly protected: ${labels(preview.newlyProtected)}; no longer protected: ${labels(preview.noLongerProtected)}`,
    `  holdings  +${count(preview.holdingsGained)} gained, −${count(preview.holdingsDropped)} dropped; ${count(preview.nodesJudged)} nodes judged`,
    `  alerts    ${alerts.join(', ')}`,
    `  computed in ${(preview.ms / 1000).toFixed(1)} s; apply with: borderline policy apply ${file}`,
  ].join('\n');
}

/**
 * `borderline policy apply FILE`: validates the file here first (file:line: key: rule, exit 2), then asks the
 * running tracker: with --dry-run, what re-judging the graph under it would change (nothing changes);
 * without, to take it as its policy and re-judge the graph (docs/policy-changes.md).
 */
export async function runPolicyApply(path: string, options: ApplyOptions, io: CliIo): Promise<ExitCode> {
  loadPolicyFile(path);
  const request = { policy: readFileSync(path, 'utf8'), file: path };
  if (options.dryRun) {
    const preview = ReevaluationResponse.parse(await callApi(options, '/policy/preview', {}, request));
    const status = PolicyStatusResponse.parse(await callApi(options, '/policy', {}));
    printAnswer(io.stdout, options, preview, () => renderPreview(path, preview, status));
    return 0;
  }
  const applied = PolicyApplyResponse.parse(await callApi(options, '/policy/apply', {}, request));
  printAnswer(
    io.stdout,
    options,
    applied,
    () =>
      `${pc.green('applied')}: the tracker restarts under ${short(applied.fingerprint)} (was ${short(applied.previous)}) and re-judges the graph while it consumes under it; /healthz says re-evaluating until it is done`,
  );
  return 0;
}

export function addPolicyApplyCommand(policy: Command, io: CliIo, finish: Finish): void {
  addApiTarget(policy.command('apply'), io.env)
    .description("make a policy file the running tracker's policy, re-judging the graph under it; --dry-run shows what would change")
    .argument('<file>', 'the policy YAML')
    .option('--dry-run', 'print what would change (alerts to open and remediate, holdings gained and dropped), change nothing')
    .action(async (file: string, options: ApplyOptions) => finish(await runPolicyApply(file, options, io)));
}
