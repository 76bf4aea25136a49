import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../../src/policy/alert.js';
import { readAlerts, waitUntilAlertsRead } from '../../support/alerts-reader.js';
import { countEvents, waitFor } from '../../support/graph-queries.js';
import { uniqueName } from '../../support/infra-endpoints.js';
import { createTestTopic, readTopic } from '../../support/kafka-test-topics.js';
import { produceRaw } from '../../support/produce-raw.js';
import { emitOpenLineage, pythonClients } from '../../support/real-clients.js';
import { TrackerProcess } from '../../support/tracker-process.js';
import { writeTestPolicy } from '../../support/test-policy.js';
import { realWorldEvents, sparkRunLifecycle, trinoReadOnly } from './openlineage-fixtures.js';

const prefix = uniqueName('ol');
const topics = { events: `${prefix}-events`, openlineage: `${prefix}-openlineage`, alerts: `${prefix}-alerts`, dlq: `${prefix}-dlq` };
const usersDb = `postgres://${prefix}-users-db:5432`;
let tracker: TrackerProcess;
let reader: Awaited<ReturnType<typeof readAlerts>>;

beforeAll(async () => {
  pythonClients(); // made on first use: a few minutes on a new machine
  const policy = writeTestPolicy(prefix, {
    classify: `  - namespace: "postgres://${prefix}-users-db*"\n    name: public.profiles\n    classifications: [us-user-data]\n`,
  });
  await createTestTopic(topics.events, 3);
  await createTestTopic(topics.openlineage, 3);
  tracker = await TrackerProcess.create({
    BORDERLINE_POLICY: policy,
    BORDERLINE_EVENTS_TOPIC: topics.events,
    BORDERLINE_OPENLINEAGE_TOPIC: topics.openlineage,
    BORDERLINE_ALERTS_TOPIC: topics.alerts,
    BORDERLINE_DLQ_TOPIC: topics.dlq,
    BORDERLINE_GROUP_ID: `${prefix}-group`,
  });
  tracker.start();
  await tracker.waitUntilHealthy();
  reader = await readAlerts(topics.alerts);
}, 600_000);

afterAll(async () => {
  await reader?.stop();
  await tracker?.kill('SIGTERM');
});

const at = (minute: number) => `2026-11-22T10:${String(minute).padStart(2, '0')}:00.000Z`;
const alertsOn = (name: string) => reader.alerts.filter((a: Alert) => a.node.kind === 'dataset' && a.node.name === name);
const waitForAlert = (name: string) =>
  waitFor(
    `an alert on ${name}`,
    () => Promise.resolve(alertsOn(name)),
    (list) => list.length > 0,
    60_000,
  );

describe('OpenLineage through the real openlineage-python client', () => {
  it("Kafka transport: an Airflow-style copy of catalog-labelled US profiles to BigQuery in europe-west1 alerts, with the run's START as its event", async () => {
    const runId = randomUUID();
    const job = { namespace: 'airflow', name: 'export_profiles.to_bq' };
    const inputs = [{ namespace: usersDb, name: 'public.profiles' }];
    const outputs = [
      { namespace: 'bigquery', name: `${prefix}.eu_exports.profiles`, location: { provider: 'gcp', region: 'europe-west1' } },
    ];
    emitOpenLineage({ kafkaTopic: topics.openlineage }, [
      { eventType: 'START', eventTime: at(1), runId, job, inputs, outputs },
      { eventType: 'COMPLETE', eventTime: at(2), runId, job, inputs, outputs },
    ]);
    const [alert] = await waitForAlert(`${prefix}.eu_exports.profiles`);
    expect(alert).toMatchObject({
      status: 'open',
      policyId: 'us-user-data-residency',
      classifications: ['us-user-data'],
      node: { kind: 'dataset', namespace: 'bigquery', name: `${prefix}.eu_exports.profiles`, provider: 'gcp', region: 'europe-west1' },
      path: [
        { kind: 'dataset', namespace: usersDb, name: 'public.profiles' },
        { kind: 'dataset', namespace: 'bigquery', name: `${prefix}.eu_exports.profiles` },
      ],
      eventIds: [`openlineage:${runId}:START:${at(1)}`],
    });

    // The alert comes from START; COMPLETE is a later message that may still be on its way: wait for its edge.
    const downstream = async () => {
      const lineage = await fetch(
        `http://127.0.0.1:${tracker.port}/api/v1/lineage?${new URLSearchParams({ namespace: usersDb, name: 'public.profiles', direction: 'downstream', depth: '1' }).toString()}`,
      );
      return ((await lineage.json()) as { edges: Array<{ eventId: string; operation: string }> }).edges;
    };
    const edges = await waitFor("both runs' edges", downstream, (list) => list.some((e) => e.eventId.includes(':COMPLETE:')), 30_000);
    expect(edges.map((e) => [e.operation, e.eventId]).sort()).toEqual([
      ['derive', `openlineage:${runId}:COMPLETE:${at(2)}`],
      ['derive', `openlineage:${runId}:START:${at(1)}`],
    ]);
  });

  it('HTTP transport pointed at the tracker as at Marquez: 201, and the same alert path', async () => {
    const runId = randomUUID();
    emitOpenLineage({ url: `http://127.0.0.1:${tracker.port}` }, [
      {
        eventType: 'COMPLETE',
        eventTime: at(3),
        runId,
        job: { namespace: 'dbt', name: 'marts.users' },
        inputs: [{ namespace: usersDb, name: 'public.profiles' }],
        outputs: [{ namespace: 's3://eu-marts', name: `${prefix}/users`, location: { provider: 'aws', region: 'eu-west-1' } }],
      },
    ]);
    const [alert] = await waitForAlert(`${prefix}/users`);
    expect(alert?.eventIds).toEqual([`openlineage:${runId}:COMPLETE:${at(3)}`]);
  });

  it('answers a POST that breaks the spec with 400 naming the field, and nothing reaches the topic', async () => {
    const response = await fetch(`http://127.0.0.1:${tracker.port}/api/v1/lineage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        eventType: 'COMPLETE',
        eventTime: at(4),
        producer: 'x',
        schemaURL: 'y',
        run: { runId: 'nope' },
        job: { namespace: 'a', name: 'b' },
      }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe(
      'read as OpenLineage RunEvent: run.runId: run.runId must be a UUID, as the spec requires',
    );
  });

  it('dead-letters an invalid message on the OpenLineage topic, saying it was read as OpenLineage, and goes on', async () => {
    await produceRaw(topics.openlineage, [
      {
        key: 'k',
        value: JSON.stringify({ eventTime: at(5), producer: 'x', schemaURL: 'y', run: { runId: randomUUID() }, job: { namespace: 'a' } }),
      },
    ]);
    const [letter] = await readTopic(topics.dlq, 1);
    expect(letter?.headers['x-dlq-reason']).toBe('read as OpenLineage RunEvent: job.name: job.name is required');
    expect(letter?.headers['x-dlq-source-topic']).toBe(topics.openlineage);
  });

  it('keeps time-respecting propagation across inputs: a label that reaches the input after the run does not flow through it', async () => {
    const [staging, early, late] = [`${prefix}-staging`, `${prefix}-early-copy`, `${prefix}-late-copy`];
    const sg = { provider: 'aws', region: 'ap-southeast-1' };
    emitOpenLineage({ kafkaTopic: topics.openlineage }, [
      {
        eventType: 'COMPLETE',
        eventTime: at(10),
        runId: randomUUID(),
        job: { namespace: 'spark', name: 'early' },
        inputs: [{ namespace: 's3://staging', name: staging }],
        outputs: [{ namespace: 's3://sg', name: early, location: sg }],
      },
    ]);
    // The label reaches the staging dataset at 10:20, through a native event, after the run above.
    await produceRaw(topics.events, [
      {
        key: 'k',
        value: JSON.stringify({
          specVersion: '1.0',
          eventId: `${prefix}-label-staging`,
          eventTime: at(20),
          operation: 'copy',
          inputs: [{ namespace: usersDb, name: 'public.profiles', region: 'us-ashburn-1', provider: 'oci' }],
          outputs: [{ namespace: 's3://staging', name: staging, region: 'us-ashburn-1', provider: 'oci' }],
        }),
      },
    ]);
    emitOpenLineage({ kafkaTopic: topics.openlineage }, [
      {
        eventType: 'COMPLETE',
        eventTime: at(30),
        runId: randomUUID(),
        job: { namespace: 'spark', name: 'late' },
        inputs: [{ namespace: 's3://staging', name: staging }],
        outputs: [{ namespace: 's3://sg', name: late, location: sg }],
      },
    ]);
    await waitForAlert(late); // processing got past the native event and both runs
    await waitUntilAlertsRead(reader, topics.alerts);
    expect(alertsOn(early)).toEqual([]);
  });

  it.each(Object.entries(realWorldEvents))(
    'ingests %s as its integration sends it: its edge appears in /api/v1/lineage',
    async (_name, event) => {
      await produceRaw(topics.openlineage, [{ key: event.run.runId, value: JSON.stringify(event) }]);
      const [input, output] = [event.inputs[0]!, event.outputs[0]!];
      const eventId = `openlineage:${event.run.runId}:${event.eventType}:${event.eventTime}`;
      const url = `http://127.0.0.1:${tracker.port}/api/v1/lineage?${new URLSearchParams({ namespace: input.namespace, name: input.name, direction: 'downstream', depth: '1' }).toString()}`;
      const edges = await waitFor(
        `the edge of ${eventId}`,
        async () => {
          const response = await fetch(url);
          return response.ok
            ? ((await response.json()) as { edges: Array<{ to: string; eventId: string; operation: string }> }).edges.filter(
                (e) => e.eventId === eventId,
              )
            : [];
        },
        (found) => found.length > 0,
        60_000,
      );
      expect(edges.map((e) => e.operation)).toContain('derive');
      expect(edges.some((e) => e.to.endsWith(`/${encodeURIComponent(output.name)}`))).toBe(true);
    },
  );

  /** The edges of `eventIds` leaving a dataset, as /api/v1/lineage answers, once they are all there. */
  async function edgesOf(input: { namespace: string; name: string }, eventIds: string[]) {
    const url = `http://127.0.0.1:${tracker.port}/api/v1/lineage?${new URLSearchParams({ namespace: input.namespace, name: input.name, direction: 'downstream', depth: '1' }).toString()}`;
    return waitFor(
      `the edges of ${eventIds.join(', ')}`,
      async () => {
        const response = await fetch(url);
        return response.ok
          ? ((await response.json()) as { edges: Array<{ to: string; eventId: string; operation: string }> }).edges.filter((e) =>
              eventIds.includes(e.eventId),
            )
          : [];
      },
      (found) => new Set(found.map((e) => e.eventId)).size === eventIds.length,
      60_000,
    );
  }

  it('records every state of one run (START, RUNNING, COMPLETE, FAIL) as an event of its own', async () => {
    const runId = randomUUID();
    const events = sparkRunLifecycle(runId) as Array<typeof realWorldEvents.sparkComplete>;
    await produceRaw(
      topics.openlineage,
      events.map((e) => ({ key: runId, value: JSON.stringify(e) })),
    );
    const ids = events.map((e) => `openlineage:${runId}:${e.eventType}:${e.eventTime}`);
    expect((await edgesOf(events[0]!.inputs[0]!, ids)).map((e) => e.operation)).toEqual(['derive', 'derive', 'derive', 'derive']);
  });

  it('records a read-only query whose run states its location as an access by the job', async () => {
    await produceRaw(topics.openlineage, [{ key: 'trino', value: JSON.stringify(trinoReadOnly) }]);
    const [edge] = await edgesOf(trinoReadOnly.inputs[0]!, [`openlineage:${trinoReadOnly.run.runId}:COMPLETE:${trinoReadOnly.eventTime}`]);
    expect(edge).toMatchObject({
      operation: 'access',
      to: `actor/${encodeURIComponent('trino://trino.internal:8080/adhoc.query_1234')}/eu-west-2`,
    });
  });

  it('records the datasets of a read that states no location (lineage only, no access)', async () => {
    const dataset = { namespace: `hive://${prefix}-metastore:9083`, name: 'default.readonly' };
    const readOnly = { ...trinoReadOnly, run: { runId: randomUUID() }, inputs: [dataset] };
    await produceRaw(topics.openlineage, [{ key: 'k', value: JSON.stringify(readOnly) }]);
    const url = `http://127.0.0.1:${tracker.port}/api/v1/nodes/dataset?${new URLSearchParams(dataset).toString()}`;
    const status = await waitFor(
      'the dataset in the graph',
      async () => (await fetch(url)).status,
      (s) => s === 200,
      60_000,
    );
    expect(status).toBe(200);
    // Written in the same transaction as the dataset: no event, so no access and nothing to alert on.
    expect(await countEvents(`openlineage:${readOnly.run.runId}`)).toBe(0);
  });
});
