/**
 * OpenLineage events as real integrations send them, written from the OpenLineage spec (2-0-2) and
 * the integrations' documentation: facet names and shapes as Spark, Airflow, dbt, Flink and Hive emit
 * them, including the facets Borderline ignores.
 */
const producer = (integration: string) => `https://github.com/OpenLineage/OpenLineage/tree/1.40.0/integration/${integration}`;
const facet = (integration: string, name: string) => ({
  _producer: producer(integration),
  _schemaURL: `https://openlineage.io/spec/facets/1-0-1/${name}.json#/$defs/${name}`,
});
const RUN_EVENT = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';

export const RUN_ID = '0193f3c2-6f5e-7a1b-9c3d-4e5f60718293';

const schemaFacet = (integration: string, fields: string[]) => ({
  ...facet(integration, 'SchemaDatasetFacet'),
  fields: fields.map((name) => ({ name, type: 'string' })),
});

/** Spark on Databricks/EMR: a job reading a Hive table through S3 and writing a Delta table; symlinks, schema, columnLineage, processing_engine, spark facets. */
export const sparkComplete = {
  eventType: 'COMPLETE',
  eventTime: '2026-11-22T10:05:00.123Z',
  producer: producer('spark'),
  schemaURL: RUN_EVENT,
  run: {
    runId: RUN_ID,
    facets: {
      processing_engine: {
        ...facet('spark', 'ProcessingEngineRunFacet'),
        version: '3.5.1',
        name: 'spark',
        openlineageAdapterVersion: '1.40.0',
      },
      parent: {
        ...facet('spark', 'ParentRunFacet'),
        run: { runId: '0193f3c2-0000-7a1b-9c3d-4e5f60718293' },
        job: { namespace: 'airflow', name: 'nightly.features' },
      },
      spark_properties: {
        ...facet('spark', 'SparkPropertiesRunFacet'),
        properties: { 'spark.master': 'yarn', 'spark.app.name': 'features' },
      },
      spark_version: { ...facet('spark', 'SparkVersionRunFacet'), 'spark-version': '3.5.1' },
    },
  },
  job: {
    namespace: 'spark-prod',
    name: 'features.execute_insert_into_hadoop_fs_relation_command',
    facets: { jobType: { ...facet('spark', 'JobTypeJobFacet'), processingType: 'BATCH', integration: 'SPARK', jobType: 'SQL_JOB' } },
  },
  inputs: [
    {
      namespace: 's3://tt-lake-us',
      name: 'warehouse/profiles',
      facets: {
        schema: schemaFacet('spark', ['user_id', 'email', 'country']),
        dataSource: { ...facet('spark', 'DatasourceDatasetFacet'), name: 's3://tt-lake-us', uri: 's3://tt-lake-us' },
        symlinks: {
          ...facet('spark', 'SymlinksDatasetFacet'),
          identifiers: [{ namespace: 'hive://metastore.internal:9083', name: 'default.profiles', type: 'TABLE' }],
        },
      },
      inputFacets: { inputStatistics: { ...facet('spark', 'InputStatisticsInputDatasetFacet'), rowCount: 1000, size: 20_000 } },
    },
  ],
  outputs: [
    {
      namespace: 'gs://tt-features-eu',
      name: 'features/users',
      facets: {
        schema: schemaFacet('spark', ['user_id', 'score']),
        columnLineage: {
          ...facet('spark', 'ColumnLineageDatasetFacet'),
          fields: {
            user_id: {
              inputFields: [
                {
                  namespace: 's3://tt-lake-us',
                  name: 'warehouse/profiles',
                  field: 'user_id',
                  transformations: [{ type: 'DIRECT', subtype: 'IDENTITY', description: '', masking: false }],
                },
              ],
            },
            score: {
              inputFields: [
                {
                  namespace: 's3://tt-lake-us',
                  name: 'warehouse/profiles',
                  field: 'country',
                  transformations: [{ type: 'DIRECT', subtype: 'TRANSFORMATION', masking: false }],
                },
              ],
            },
          },
        },
        lifecycleStateChange: { ...facet('spark', 'LifecycleStateChangeDatasetFacet'), lifecycleStateChange: 'OVERWRITE' },
      },
      outputFacets: { outputStatistics: { ...facet('spark', 'OutputStatisticsOutputDatasetFacet'), rowCount: 1000, size: 9_000 } },
    },
  ],
};

/** Airflow (apache-airflow-providers-openlineage): a PostgresOperator copying US profiles to BigQuery; sql, airflow facets, nominal time. */
export const airflowStart = {
  eventType: 'START',
  eventTime: '2026-11-22T09:00:00.000000+00:00',
  producer: producer('airflow'),
  schemaURL: RUN_EVENT,
  run: {
    runId: '01932d1c-2b3a-7c4d-8e9f-0a1b2c3d4e5f',
    facets: {
      nominalTime: { ...facet('airflow', 'NominalTimeRunFacet'), nominalStartTime: '2026-11-22T09:00:00+00:00' },
      airflow: {
        ...facet('airflow', 'AirflowRunFacet'),
        dag: { dag_id: 'export_profiles' },
        task: { task_id: 'to_bq', operator_class: 'PostgresToGCSOperator' },
      },
    },
  },
  job: {
    namespace: 'airflow-prod',
    name: 'export_profiles.to_bq',
    facets: { sql: { ...facet('airflow', 'SQLJobFacet'), query: 'SELECT * FROM public.profiles' } },
  },
  inputs: [
    {
      namespace: 'postgres://users-db.internal:5432',
      name: 'users.public.profiles',
      facets: { schema: schemaFacet('airflow', ['id', 'email']) },
    },
  ],
  outputs: [
    {
      namespace: 'bigquery',
      name: 'tt-analytics.eu_exports.profiles',
      facets: { dataSource: { ...facet('airflow', 'DatasourceDatasetFacet'), name: 'bigquery', uri: 'bigquery' } },
    },
  ],
};

/** dbt (openlineage-dbt): a model built in Snowflake, account-locator namespace (region in the namespace). */
export const dbtComplete = {
  eventType: 'COMPLETE',
  eventTime: '2026-11-22T11:00:00.000Z',
  producer: producer('dbt'),
  schemaURL: RUN_EVENT,
  run: {
    runId: '01932d1c-3333-7c4d-8e9f-0a1b2c3d4e5f',
    facets: { dbt_version: { ...facet('dbt', 'DbtVersionRunFacet'), version: '1.8.0' } },
  },
  job: { namespace: 'dbt-prod', name: 'analytics.marts.user_summary' },
  inputs: [
    {
      namespace: 'snowflake://xy12345.eu-central-1.aws',
      name: 'ANALYTICS.STAGING.STG_USERS',
      facets: {
        dataSource: {
          ...facet('dbt', 'DatasourceDatasetFacet'),
          name: 'snowflake://xy12345.eu-central-1.aws',
          uri: 'snowflake://xy12345.eu-central-1.aws',
        },
      },
    },
  ],
  outputs: [
    {
      namespace: 'snowflake://org-account',
      name: 'ANALYTICS.MARTS.USER_SUMMARY',
      facets: { schema: schemaFacet('dbt', ['user_id', 'orders']) },
    },
  ],
};

/** Flink (openlineage-flink): a streaming job from Kafka to Kafka, RUNNING. */
export const flinkRunning = {
  eventType: 'RUNNING',
  eventTime: '2026-11-22T12:00:00Z',
  producer: producer('flink'),
  schemaURL: RUN_EVENT,
  run: { runId: '01932d1c-4444-7c4d-8e9f-0a1b2c3d4e5f' },
  job: {
    namespace: 'flink-jobs',
    name: 'enrich_clicks',
    facets: { jobType: { ...facet('flink', 'JobTypeJobFacet'), processingType: 'STREAMING', integration: 'FLINK', jobType: 'JOB' } },
  },
  inputs: [{ namespace: 'kafka://broker-1.internal:9092', name: 'clicks' }],
  outputs: [{ namespace: 'kafka://broker-1.internal:9092', name: 'clicks.enriched' }],
};

/** Hive (openlineage-hive hook): CTAS in the metastore; Athena and Redshift on AWS; a local file job that FAILs. */
export const hiveComplete = {
  eventType: 'COMPLETE',
  eventTime: '2026-11-22T13:00:00Z',
  producer: producer('hive'),
  schemaURL: RUN_EVENT,
  run: { runId: '01932d1c-5555-7c4d-8e9f-0a1b2c3d4e5f' },
  job: { namespace: 'hive', name: 'ctas.users_copy' },
  inputs: [
    { namespace: 'hive://metastore.internal:9083', name: 'default.users' },
    { namespace: 'awsathena://athena.eu-west-1.amazonaws.com', name: 'AwsDataCatalog.db.events' },
  ],
  outputs: [{ namespace: 'redshift://analytics.ap-southeast-1.redshift.amazonaws.com:5439', name: 'dev.public.users_copy' }],
};

export const fileFail = {
  eventType: 'FAIL',
  eventTime: '2026-11-22T14:00:00Z',
  producer: producer('python'),
  schemaURL: RUN_EVENT,
  run: {
    runId: '01932d1c-6666-7c4d-8e9f-0a1b2c3d4e5f',
    facets: { errorMessage: { ...facet('python', 'ErrorMessageRunFacet'), message: 'boom', programmingLanguage: 'python' } },
  },
  job: { namespace: 'scripts', name: 'export.py' },
  inputs: [{ namespace: 'file', name: '/data/in.csv' }],
  outputs: [{ namespace: 'file', name: '/data/out.csv' }],
};

export const realWorldEvents = { sparkComplete, airflowStart, dbtComplete, flinkRunning, hiveComplete, fileFail };

/** A Trino query that only reads (inputs, no outputs), from an engine whose run states where it ran: an access. */
export const trinoReadOnly = {
  eventType: 'COMPLETE',
  eventTime: '2026-11-22T15:00:00Z',
  producer: producer('trino'),
  schemaURL: RUN_EVENT,
  run: {
    runId: '01932d1c-7777-7c4d-8e9f-0a1b2c3d4e5f',
    facets: {
      processing_engine: { ...facet('trino', 'ProcessingEngineRunFacet'), name: 'trino', version: '450' },
      borderline_location: {
        _producer: producer('trino'),
        _schemaURL: 'https://borderline.dev/schemas/openlineage-borderline-location-facet.v1.json',
        provider: 'aws',
        region: 'eu-west-2',
      },
    },
  },
  job: {
    namespace: 'trino://trino.internal:8080',
    name: 'adhoc.query_1234',
    facets: { sql: { ...facet('trino', 'SQLJobFacet'), query: 'SELECT email FROM hive.default.users' } },
  },
  inputs: [{ namespace: 'hive://metastore.internal:9083', name: 'default.users' }],
  outputs: [],
};

/** One Spark run's whole life: START, RUNNING, COMPLETE (and a FAIL of a retry), each its own event. */
export function sparkRunLifecycle(runId: string): object[] {
  return (['START', 'RUNNING', 'COMPLETE', 'FAIL'] as const).map((eventType, i) => ({
    ...sparkComplete,
    eventType,
    eventTime: `2026-11-22T16:0${i}:00.000Z`,
    run: { ...sparkComplete.run, runId },
  }));
}
