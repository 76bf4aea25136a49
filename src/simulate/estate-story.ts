import { trace } from '@opentelemetry/api';
import type { DataMovementEvent } from '../events/data-movement-event.js';
import type { DatasetRef } from '../events/dataset-ref.js';
import type { LineageEmitter, ResourceLike } from '../sdk/lineage-emitter.js';

/** How a service of the estate reports its movements: the SDK's emitter, or spans through the OpenTelemetry Collector. */
export type MovementReporter = Pick<LineageEmitter, 'copy' | 'derive' | 'access' | 'remove' | 'close'>;

/**
 * The model case as a small estate of instrumented microservices: a social platform whose US user
 * data must stay in its trusted provider's (OCI's) US regions, and whose EU members' data must stay
 * in the EU. Each service has its own OpenTelemetry resource (service.name, cloud.provider,
 * cloud.region), reports through its own emitter, and works inside traced spans.
 */
export interface ServiceSpec {
  name: string;
  provider: string;
  region: string;
}

export const SERVICES = {
  signup: { name: 'signup-service', provider: 'oci', region: 'us-ashburn-1' },
  replication: { name: 'replication', provider: 'oci', region: 'us-phoenix-1' },
  legacySync: { name: 'legacy-sync', provider: 'aws', region: 'us-east-1' },
  backup: { name: 'backup-job', provider: 'aws', region: 'ap-southeast-1' },
  analytics: { name: 'analytics-job', provider: 'aws', region: 'eu-central-1' },
  adminConsole: { name: 'admin-console', provider: 'aws', region: 'eu-west-2' },
  euSignup: { name: 'eu-signup-service', provider: 'aws', region: 'eu-west-1' },
  crmExport: { name: 'crm-export', provider: 'aws', region: 'us-east-1' },
  migration: { name: 'migration', provider: 'oci', region: 'us-ashburn-1' },
} as const satisfies Record<string, ServiceSpec>;
export type ServiceKey = keyof typeof SERVICES;

/** The OpenTelemetry resource attributes of a service (what its emitter reads). */
export function resourceOf(spec: ServiceSpec): ResourceLike {
  return { attributes: { 'service.name': spec.name, 'cloud.provider': spec.provider, 'cloud.region': spec.region } };
}

const US = 'us-user-data';
const EU = 'eu-personal-data';

/** The story's datasets. Legacy Virginia and the Singapore backups are placed by examples/policy.yaml's store catalog. */
export const DATASETS = {
  signups: { namespace: 'kafka://signups', name: 'signup-events', provider: 'oci', region: 'us-ashburn-1' },
  profiles: { namespace: 'postgres://users-db', name: 'public.profiles', provider: 'oci', region: 'us-ashburn-1' },
  replica: { namespace: 'postgres://users-db-replica', name: 'public.profiles', provider: 'oci', region: 'us-phoenix-1' },
  legacy: { namespace: 'postgres://legacy-va-dc1', name: 'users' },
  backup: { namespace: 's3://tt-backup-sg', name: 'nightly/profiles.parquet' },
  features: { namespace: 's3://analytics-fra', name: 'user_features', provider: 'aws', region: 'eu-central-1' },
  aggregate: { namespace: 's3://analytics-fra', name: 'daily_signups_anonymised', provider: 'aws', region: 'eu-central-1' },
  euSignups: { namespace: 'kafka://eu-signups', name: 'signup-events', provider: 'aws', region: 'eu-west-1' },
  members: { namespace: 'postgres://eu-members', name: 'public.members', provider: 'aws', region: 'eu-west-1' },
  euBackup: { namespace: 's3://eu-backup-ie', name: 'members.parquet', provider: 'aws', region: 'eu-west-1' },
  crmUs: { namespace: 's3://crm-exports-us', name: 'members.csv', provider: 'aws', region: 'us-east-1' },
  // Read and written by the OpenLineage job below: placed by the policy's store catalog and labelled by its classification catalog.
  billing: { namespace: 'mysql://payments-us:3306', name: 'billing.cards' },
  billingExport: { namespace: 'bigquery', name: 'tt-analytics.eu_exports.billing' },
} as const satisfies Record<string, DatasetRef>;

/**
 * Every namespace the story writes to (what a fresh demo run clears first); with `--with-collector`
 * the admin console's database span names the profiles table as OpenLineage does, on `postgres://users-db:5432`.
 */
export const STORY_NAMESPACES: readonly string[] = [
  ...new Set([...Object.values(DATASETS).map((d) => d.namespace), 'postgres://users-db:5432']),
];

type Emitters = Record<ServiceKey, MovementReporter>;

export interface StoryStep {
  service: ServiceKey;
  /** What a person reading the demo output should understand. */
  narration: string;
  act(emitters: Emitters, suffix: string): Promise<DataMovementEvent>;
}

const at = (d: DatasetRef, suffix: string, labels?: string[]): DatasetRef => ({
  ...d,
  name: `${d.name}${suffix}`,
  ...(labels ? { classifications: labels } : {}),
});
const D = DATASETS;

/** The story, in order. `suffix` makes each tenant's copy of the estate distinct (empty for the demo). */
export const STORY: readonly StoryStep[] = [
  {
    service: 'signup',
    narration: 'Sign-ups land in the trusted US region (OCI Ashburn).',
    act: (e, s) => e.signup.copy({ inputs: at(D.signups, s, [US]), outputs: at(D.profiles, s) }),
  },
  {
    service: 'replication',
    narration: 'The profiles are replicated to OCI Phoenix — allowed.',
    act: (e, s) => e.replication.copy({ inputs: at(D.profiles, s), outputs: at(D.replica, s) }),
  },
  {
    service: 'euSignup',
    narration: 'EU members sign up in Ireland.',
    act: (e, s) => e.euSignup.copy({ inputs: at(D.euSignups, s, [EU]), outputs: at(D.members, s) }),
  },
  {
    service: 'legacySync',
    narration: 'A forgotten sync still copies profiles to the legacy Virginia data centre (AWS us-east-1).',
    act: (e, s) => e.legacySync.copy({ inputs: at(D.replica, s), outputs: at(D.legacy, s) }),
  },
  {
    service: 'backup',
    narration: 'The nightly backup copies the legacy table to Singapore.',
    act: (e, s) => e.backup.copy({ inputs: at(D.legacy, s), outputs: at(D.backup, s) }),
  },
  {
    service: 'analytics',
    narration: 'An analytics job in Frankfurt derives user features from the profiles.',
    act: (e, s) => e.analytics.derive({ inputs: at(D.profiles, s), outputs: at(D.features, s) }),
  },
  {
    service: 'analytics',
    narration: 'It also derives an anonymised daily aggregate, which may leave.',
    act: (e, s) => e.analytics.derive({ inputs: at(D.profiles, s), outputs: at(D.aggregate, s), removesClassifications: [US] }),
  },
  {
    service: 'adminConsole',
    narration: 'An engineer in London reads the profiles through the admin console.',
    act: (e, s) => e.adminConsole.access({ inputs: at(D.profiles, s) }),
  },
  {
    service: 'euSignup',
    narration: 'EU members are backed up in Ireland — allowed.',
    act: (e, s) => e.euSignup.copy({ inputs: at(D.members, s), outputs: at(D.euBackup, s) }),
  },
  {
    service: 'crmExport',
    narration: 'A CRM export sends EU members to a US bucket.',
    act: (e, s) => e.crmExport.copy({ inputs: at(D.members, s), outputs: at(D.crmUs, s) }),
  },
  {
    service: 'migration',
    narration: 'The migration deletes the Virginia copy…',
    act: (e, s) => e.migration.remove({ inputs: at(D.legacy, s) }),
  },
  { service: 'migration', narration: '…and the Singapore backups.', act: (e, s) => e.migration.remove({ inputs: at(D.backup, s) }) },
];

/**
 * A data-platform job that reports OpenLineage and knows nothing of Borderline or of labels: an
 * Airflow task exporting US billing data to BigQuery in europe-west1, reported as Airflow reports
 * (OPENLINEAGE_URL pointed at the tracker). Only the policy's classification catalog says the table
 * holds US user data; the BigQuery dataset's location comes from a `borderline_location` facet.
 */
export const OPENLINEAGE_JOB = {
  name: 'airflow export_billing.to_bq',
  narration:
    "An Airflow job (OpenLineage, no Borderline code) exports billing data to BigQuery in europe-west1; only the policy's catalog knows it is US user data.",
  /** The job's START and COMPLETE RunEvents, as the OpenLineage Airflow provider sends them. */
  runEvents(runId: string, startTime: Date): object[] {
    const facet = {
      _producer: 'https://github.com/apache/airflow/tree/providers-openlineage',
      _schemaURL: 'https://borderline.dev/schemas/openlineage-borderline-location-facet.v1.json',
    };
    const base = {
      producer: 'https://github.com/apache/airflow/tree/providers-openlineage',
      schemaURL: 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent',
      run: { runId },
      job: { namespace: 'airflow', name: 'export_billing.to_bq' },
      inputs: [{ namespace: DATASETS.billing.namespace, name: DATASETS.billing.name }],
      outputs: [
        {
          namespace: DATASETS.billingExport.namespace,
          name: DATASETS.billingExport.name,
          facets: { borderline_location: { ...facet, provider: 'gcp', region: 'europe-west1' } },
        },
      ],
    };
    return [
      { ...base, eventType: 'START', eventTime: startTime.toISOString() },
      { ...base, eventType: 'COMPLETE', eventTime: new Date(startTime.getTime() + 1_000).toISOString() },
    ];
  },
};

/** What the story must end with: one alert per line, and its final status. */
export const EXPECTED_ALERTS: ReadonlyArray<{ policyId: string; node: string; status: 'open' | 'remediated' }> = [
  { policyId: 'us-user-data-residency', node: `${D.legacy.namespace} ${D.legacy.name}`, status: 'remediated' },
  { policyId: 'us-user-data-residency', node: `${D.backup.namespace} ${D.backup.name}`, status: 'remediated' },
  { policyId: 'us-user-data-residency', node: `${D.features.namespace} ${D.features.name}`, status: 'open' },
  { policyId: 'us-user-data-residency', node: `${SERVICES.adminConsole.name} (actor)`, status: 'open' },
  { policyId: 'eu-personal-data-residency', node: `${D.crmUs.namespace} ${D.crmUs.name}`, status: 'open' },
  { policyId: 'us-user-data-residency', node: `${D.billingExport.namespace} ${D.billingExport.name}`, status: 'open' },
];

/** Runs one step inside a span of its service, so the event carries a trace id. */
export function runStep(step: StoryStep, emitters: Emitters, suffix = ''): Promise<DataMovementEvent> {
  const tracer = trace.getTracer(SERVICES[step.service].name);
  return tracer.startActiveSpan(step.narration.slice(0, 60), async (span) => {
    try {
      return await step.act(emitters, suffix);
    } finally {
      span.end();
    }
  });
}
