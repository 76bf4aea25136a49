import type { Command } from 'commander';
import type { CliIo, ExitCode, Finish } from '../cli-io.js';
import type { AllowedLocation, PolicyFile } from '../../policy/policy-file.js';
import { loadPolicyFile } from '../../policy/load-policy-file.js';
import { regionsInCountry } from '../../policy/region-catalog.js';
import { waiverExpiresAt } from '../../policy/waiver-dates.js';
import { addPolicyApplyCommand } from './policy-apply.js';

function describeAllowed(entry: AllowedLocation): string {
  const provider = entry.provider ? `${entry.provider}` : 'any provider';
  if (entry.regions) return `${provider}: ${entry.regions.join(', ')}`;
  if (entry.countries) {
    const placed: string[] = [];
    let empty = 0;
    for (const country of entry.countries) {
      const byProvider = Object.entries(regionsInCountry(country)).filter(
        ([p, regions]) => regions.length > 0 && (!entry.provider || p === entry.provider.toLowerCase()),
      );
      if (byProvider.length === 0) empty += 1;
      else placed.push(`${country} (${byProvider.map(([p, regions]) => `${p} ${regions.length}`).join(', ')})`);
    }
    return `${provider} in ${placed.join(', ')}${empty > 0 ? `; ${empty} more ${empty === 1 ? 'country has' : 'countries have'} no catalogued region` : ''}`;
  }
  return `${provider}: every region`;
}

/** The summary `borderline policy check` prints: what each policy allows, where stores live, what the catalog labels. */
export function summarizePolicyFile(file: PolicyFile, now = Date.now()): string {
  const lines: string[] = [];
  for (const policy of file.policies) {
    lines.push(`${policy.id}  [${policy.severity}]  protects ${policy.classifications.join(', ')}`);
    for (const entry of policy.allowed) lines.push(`  allowed: ${describeAllowed(entry)}`);
  }
  if (file.stores.length > 0) {
    lines.push('stores:');
    for (const store of file.stores) lines.push(`  ${store.namespace} -> ${store.provider ? `${store.provider} ` : ''}${store.region}`);
  }
  if (file.classify.length > 0) {
    lines.push('classify:');
    for (const entry of file.classify)
      lines.push(`  ${entry.namespace}${entry.name ? ` ${entry.name}` : ' (every dataset)'} -> ${entry.classifications.join(', ')}`);
  }
  lines.push(`clock skew tolerance: ${file.clockSkewToleranceMs} ms`);
  if (file.waivers.length > 0) {
    lines.push('waivers:');
    for (const w of file.waivers) {
      const where = w.service ? `actor ${w.service}` : `${w.namespace ?? ''}${w.name ? ` ${w.name}` : ''}`;
      const days = Math.ceil((waiverExpiresAt(w) - now) / 86_400_000);
      lines.push(
        `  ${w.policyId} at ${where}: until ${w.until} (${days} day${days === 1 ? '' : 's'} left), approved by ${w.approvedBy}: ${w.justification}`,
      );
    }
  }
  return lines.join('\n');
}

/** `borderline policy check FILE`: validates, prints the summary (or JSON), exits 0; errors exit 2. */
export function runPolicyCheck(path: string, options: { json?: boolean }, io: CliIo): ExitCode {
  // A review gate: an expired waiver is an error here (a running tracker ignores it instead).
  const file = loadPolicyFile(path, { expired: 'reject' });
  io.stdout.write(options.json ? `${JSON.stringify(file, null, 2)}\n` : `${path}: valid\n${summarizePolicyFile(file)}\n`);
  return 0;
}

export function addPolicyCommands(program: Command, io: CliIo, finish: Finish): void {
  const policy = program.command('policy').description('work with policy files');
  policy
    .command('check')
    .description('validate a policy file and summarise what each policy allows where (exit 2 when invalid)')
    .argument('<file>', 'the policy YAML')
    .option('--json', 'print the validated file, defaults filled in, as JSON')
    .action((file: string, options: { json?: boolean }) => finish(runPolicyCheck(file, options, io)));
  addPolicyApplyCommand(policy, io, finish);
}
