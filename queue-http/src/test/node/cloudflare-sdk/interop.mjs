// Drives a local queues4j server through the official Cloudflare API client (npm "cloudflare"),
// using only the client's own methods, and asserts what it gets back. Run by
// CloudflareSdkInteropTest with QUEUES4J_BASE_URL, QUEUES4J_TOKEN and QUEUES4J_ACCOUNT set.
// Prints one JSON line: {"ok":true,...} on success; on failure exits 1 after printing the error.
import assert from "node:assert/strict";
import Cloudflare from "cloudflare";

const baseURL = process.env.QUEUES4J_BASE_URL;
const apiToken = process.env.QUEUES4J_TOKEN;
const account_id = process.env.QUEUES4J_ACCOUNT;
assert.ok(baseURL && apiToken && account_id, "QUEUES4J_BASE_URL, QUEUES4J_TOKEN and QUEUES4J_ACCOUNT must be set");

const client = new Cloudflare({ apiToken, baseURL, maxRetries: 0, timeout: 10_000 });
const report = { ok: false, steps: [] };
const step = (name, detail) => report.steps.push(detail === undefined ? name : { [name]: detail });
const decodeJson = (m) => JSON.parse(Buffer.from(m.body, "base64").toString("utf8"));

async function main() {
  // Queues: create, get, list, edit (PATCH), update (PUT).
  const queue = await client.queues.create({ account_id, queue_name: "sdk-orders" });
  assert.match(queue.queue_id, /^[0-9a-f]{32}$/);
  assert.equal(queue.queue_name, "sdk-orders");
  assert.deepEqual(queue.settings, { delivery_delay: 0, delivery_paused: false, message_retention_period: 345600 });
  const queue_id = queue.queue_id;
  report.queueId = queue_id;
  step("create");

  const dlq = await client.queues.create({ account_id, queue_name: "sdk-orders-dlq" });
  const fetched = await client.queues.get(queue_id, { account_id });
  assert.equal(fetched.queue_name, "sdk-orders");

  const names = [];
  for await (const q of client.queues.list({ account_id })) {
    names.push(q.queue_name);
  }
  assert.deepEqual(names, ["sdk-orders", "sdk-orders-dlq"]);
  step("list", names);

  const edited = await client.queues.edit(queue_id, { account_id, settings: { message_retention_period: 3600 } });
  assert.equal(edited.settings.message_retention_period, 3600);
  const updated = await client.queues.update(queue_id, {
    account_id,
    queue_name: "sdk-orders",
    settings: { delivery_delay: 0, message_retention_period: 7200 },
  });
  assert.equal(updated.settings.message_retention_period, 7200);
  step("edit+update");

  // Consumers: an http_pull consumer with a dead-letter queue.
  const consumer = await client.queues.consumers.create(queue_id, {
    account_id,
    type: "http_pull",
    dead_letter_queue: "sdk-orders-dlq",
    settings: { batch_size: 10, max_retries: 3, visibility_timeout_ms: 30000 },
  });
  assert.equal(consumer.type, "http_pull");
  assert.equal(consumer.dead_letter_queue, "sdk-orders-dlq");
  const consumers = [];
  for await (const c of client.queues.consumers.list(queue_id, { account_id })) {
    consumers.push(c);
  }
  assert.equal(consumers.length, 1);
  assert.equal(consumers[0].consumer_id, consumer.consumer_id);
  const got = await client.queues.consumers.get(consumer.consumer_id, { account_id, queue_id });
  assert.equal(got.settings.batch_size, 10);
  step("consumer", consumer.consumer_id);

  // Push one JSON message, one text message, then a batch.
  const pushed = await client.queues.messages.push(queue_id, { account_id, body: { order: 1, items: ["a", "b"] } });
  assert.equal(pushed.metadata.metrics.backlog_count, 1);
  await client.queues.messages.push(queue_id, { account_id, body: "order two", content_type: "text" });
  const bulk = await client.queues.messages.bulkPush(queue_id, {
    account_id,
    messages: [
      { body: { order: 3 } },
      { body: "order four", content_type: "text" },
      { body: { order: 5 }, delay_seconds: 0 },
    ],
  });
  assert.equal(bulk.metadata.metrics.backlog_count, 5);
  step("push", bulk.metadata.metrics);

  // Pull all five with a lease.
  const pulled = await client.queues.messages.pull(queue_id, { account_id, batch_size: 10, visibility_timeout_ms: 60000 });
  assert.equal(pulled.messages.length, 5);
  assert.equal(pulled.message_backlog_count, 5);
  assert.deepEqual(decodeJson(pulled.messages[0]), { order: 1, items: ["a", "b"] });
  assert.equal(pulled.messages[1].body, "order two");
  assert.equal(pulled.messages[1].metadata["CF-Content-Type"], "text");
  assert.deepEqual(decodeJson(pulled.messages[2]), { order: 3 });
  assert.equal(pulled.messages[3].body, "order four");
  assert.deepEqual(decodeJson(pulled.messages[4]), { order: 5 });
  for (const m of pulled.messages) {
    assert.equal(m.attempts, 1);
    assert.match(m.id, /^[0-9a-f]{32}$/);
    assert.ok(m.lease_id.length > 0);
    assert.ok(Number.isInteger(m.timestamp_ms));
  }
  step("pull", pulled.messages.length);

  // Ack four, retry the second one at once, and ack a lease that was never issued.
  const [first, second, ...rest] = pulled.messages;
  const acked = await client.queues.messages.ack(queue_id, {
    account_id,
    acks: [first, ...rest].map((m) => ({ lease_id: m.lease_id })).concat([{ lease_id: "not-a-lease" }]),
    retries: [{ lease_id: second.lease_id, delay_seconds: 0 }],
  });
  assert.equal(acked.ackCount, 4);
  assert.equal(acked.retryCount, 1);
  assert.deepEqual(Object.keys(acked.warnings), ["not-a-lease"]);
  step("ack", { ackCount: acked.ackCount, retryCount: acked.retryCount });

  const again = await client.queues.messages.pull(queue_id, { account_id });
  assert.equal(again.messages.length, 1);
  assert.equal(again.messages[0].id, second.id);
  assert.equal(again.messages[0].attempts, 2);
  await client.queues.messages.ack(queue_id, { account_id, acks: [{ lease_id: again.messages[0].lease_id }] });
  const metrics = await client.queues.getMetrics(queue_id, { account_id });
  assert.deepEqual(metrics, { backlog_bytes: 0, backlog_count: 0, oldest_message_timestamp_ms: 0 });
  step("retried", again.messages[0].attempts);

  // Purge.
  await client.queues.messages.push(queue_id, { account_id, body: "to purge", content_type: "text" });
  const purged = await client.queues.purge.start(queue_id, { account_id, delete_messages_permanently: true });
  assert.equal(purged.queue_id, queue_id);
  const status = await client.queues.purge.status(queue_id, { account_id });
  assert.equal(status.completed, true);
  assert.equal((await client.queues.getMetrics(queue_id, { account_id })).backlog_count, 0);
  step("purge");

  // Errors surface as the client's typed errors, with Cloudflare's codes.
  await assert.rejects(
    client.queues.create({ account_id, queue_name: "sdk-orders" }),
    (e) => e instanceof Cloudflare.ConflictError && e.status === 409 && e.errors[0].code === 11009,
  );
  await assert.rejects(
    client.queues.messages.pull(queue_id, { account_id, batch_size: 101 }),
    (e) => e instanceof Cloudflare.BadRequestError && e.errors[0].code === 10207,
  );
  const stranger = new Cloudflare({ apiToken: "not-a-configured-token-000", baseURL, maxRetries: 0 });
  await assert.rejects(
    stranger.queues.list({ account_id }).then((page) => page.result),
    (e) => e instanceof Cloudflare.AuthenticationError && e.status === 401,
  );
  step("errors");

  // Tear down: consumer, then queues.
  const updatedConsumer = await client.queues.consumers.update(consumer.consumer_id, {
    account_id,
    queue_id,
    type: "http_pull",
    settings: { batch_size: 5 },
  });
  assert.equal(updatedConsumer.settings.batch_size, 5);
  const deletedConsumer = await client.queues.consumers.delete(consumer.consumer_id, { account_id, queue_id });
  assert.equal(deletedConsumer.success, true);
  const deleted = await client.queues.delete(queue_id, { account_id });
  assert.equal(deleted.success, true);
  await client.queues.delete(dlq.queue_id, { account_id });
  await assert.rejects(
    client.queues.get(queue_id, { account_id }),
    (e) => e instanceof Cloudflare.NotFoundError && e.errors[0].code === 11000,
  );
  step("delete");

  report.ok = true;
}

try {
  await main();
  console.log(JSON.stringify(report));
} catch (e) {
  report.error = String(e && e.stack ? e.stack : e);
  console.log(JSON.stringify(report));
  process.exitCode = 1;
}
