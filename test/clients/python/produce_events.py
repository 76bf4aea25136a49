"""Produces messages with librdkafka (confluent-kafka), as a Python service would.

Reads NDJSON on stdin, one message a line: {"key": str|null, "value": str|null, "headers": {str: str}}.
Usage: produce_events.py BROKERS TOPIC COMPRESSION. Exits non-zero if any message was not delivered.
"""
import json
import sys

from confluent_kafka import Producer


def main() -> int:
    brokers, topic, compression = sys.argv[1:4]
    producer = Producer({
        "bootstrap.servers": brokers,
        "compression.type": compression,
        "enable.idempotence": True,
        "linger.ms": 20,  # lets several messages share one compressed batch
    })
    failures = []

    def delivered(error, _message):
        if error is not None:
            failures.append(str(error))

    for line in sys.stdin:
        if not line.strip():
            continue
        message = json.loads(line)
        value = message.get("value")
        producer.produce(
            topic,
            key=message.get("key"),
            value=None if value is None else value.encode("utf-8"),
            headers=list(message.get("headers", {}).items()),
            on_delivery=delivered,
        )
    remaining = producer.flush(30)
    if remaining or failures:
        print(f"not delivered: {remaining} pending, errors {failures}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
