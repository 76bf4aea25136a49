"""Emits OpenLineage RunEvents with the real openlineage-python client, as Airflow or dbt would.

Usage: emit_openlineage.py kafka BROKERS TOPIC   (the client's Kafka transport)
       emit_openlineage.py http URL [API_KEY]    (the client's HTTP transport, as to Marquez)
Reads a JSON list of runs on stdin, each:
  {"eventType": "START", "eventTime": "...", "runId": "uuid", "job": {"namespace": "...", "name": "..."},
   "inputs": [Dataset], "outputs": [Dataset]}
Dataset: {"namespace": "...", "name": "...", "classification": "label"?, "location": {"provider": "...", "region": "..."}?}
"""
import json
import sys

import attr
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import tags_dataset
from openlineage.client.generated.base import DatasetFacet

PRODUCER = "https://github.com/borderline/borderline/test/clients/python/emit_openlineage.py"


@attr.define
class BorderlineLocationDatasetFacet(DatasetFacet):
    """Borderline's custom facet: where the dataset lives."""

    region: str
    provider: str | None = attr.field(default=None)

    @staticmethod
    def _get_schema() -> str:
        return "https://borderline.dev/schemas/openlineage-borderline-location-facet.v1.json"


def facets(dataset: dict) -> dict:
    result = {}
    if "classification" in dataset:
        result["tags"] = tags_dataset.TagsDatasetFacet(tags=[tags_dataset.TagsDatasetFacetFields(key="classification", value=dataset["classification"], source="MANUAL")])
    if "location" in dataset:
        result["borderline_location"] = BorderlineLocationDatasetFacet(**dataset["location"])
    return result


def client(args: list[str]) -> OpenLineageClient:
    if args[0] == "kafka":
        return OpenLineageClient(config={"transport": {"type": "kafka", "topic": args[2], "config": {"bootstrap.servers": args[1], "acks": "all"}, "flush": True}})
    transport = {"type": "http", "url": args[1], "endpoint": "api/v1/lineage", "retry": {"total": 0}}
    if len(args) > 2:
        transport["auth"] = {"type": "api_key", "apiKey": args[2]}
    return OpenLineageClient(config={"transport": transport})


def main() -> int:
    ol = client(sys.argv[1:])
    for spec in json.load(sys.stdin):
        ol.emit(RunEvent(
            eventType=RunState[spec["eventType"]],
            eventTime=spec["eventTime"],
            run=Run(runId=spec["runId"]),
            job=Job(namespace=spec["job"]["namespace"], name=spec["job"]["name"]),
            producer=PRODUCER,
            inputs=[InputDataset(namespace=d["namespace"], name=d["name"], facets=facets(d)) for d in spec.get("inputs", [])],
            outputs=[OutputDataset(namespace=d["namespace"], name=d["name"], facets=facets(d)) for d in spec.get("outputs", [])],
        ))
    ol.close(timeout=30) if hasattr(ol, "close") else None
    return 0


if __name__ == "__main__":
    sys.exit(main())
