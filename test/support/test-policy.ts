import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes a policy file for one test run: US user data only in OCI's US regions, plus the `stores:`
 * and `classify:` entries given (YAML list items); returns its path.
 */
export function writeTestPolicy(run: string, catalogs: { stores?: string; classify?: string } = {}): string {
  const path = join(tmpdir(), `${run}-policy.yaml`);
  writeFileSync(
    path,
    `policies:
  - id: us-user-data-residency
    classifications: [us-user-data]
    severity: critical
    allowed:
      - provider: oci
        regions: [us-ashburn-1, us-phoenix-1]
${catalogs.stores ? `stores:\n${catalogs.stores}` : ''}${catalogs.classify ? `classify:\n${catalogs.classify}` : ''}`,
  );
  return path;
}
