/** A location an OpenLineage dataset namespace names by itself. */
export interface NamespaceLocation {
  provider: string;
  region: string;
}

/**
 * The namespaces whose OpenLineage naming carries a region (https://openlineage.io/docs/spec/naming/),
 * with the provider they imply (docs/contract.md §8, rule 2).
 */
const PATTERNS: ReadonlyArray<{ pattern: RegExp; provider?: string }> = [
  { pattern: /^awsathena:\/\/athena\.([a-z0-9-]+)\.amazonaws\.com(?:[:/]|$)/i, provider: 'aws' },
  { pattern: /^redshift:\/\/[^./]+\.([a-z]{2}(?:-[a-z]+)+-\d+)\.redshift(?:-serverless)?\.amazonaws\.com(?:[:/]|$)/i, provider: 'aws' },
  { pattern: /^arn:aws:glue:([a-z0-9-]+):\d*/i, provider: 'aws' },
  // Snowflake's account-locator form: snowflake://<locator>.<region>[.<cloud>]; AWS is Snowflake's default cloud.
  { pattern: /^snowflake:\/\/[a-z0-9_]+\.([a-z0-9-]+?)(?:\.(aws|gcp|azure))?(?:[:/]|$)/i },
];

/** The region (and provider) a dataset namespace names, or undefined when its naming carries none. */
export function locateNamespace(namespace: string): NamespaceLocation | undefined {
  for (const { pattern, provider } of PATTERNS) {
    const match = pattern.exec(namespace);
    if (!match?.[1] || match[1].length > 100) continue; // a region code is at most 100 characters (docs/contract.md §2)
    return { provider: provider ?? match[2]?.toLowerCase() ?? 'aws', region: match[1].toLowerCase() };
  }
  return undefined;
}
