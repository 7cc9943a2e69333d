'use strict';
const assert = require('node:assert/strict');
const { once } = require('node:events');
const { createServer } = require('node:http');
const { test } = require('node:test');
const { createHandler } = require('../src/app');
const { name } = require('../package.json');

/** Serves the handler on a free port for one test and returns a GET function. */
async function serve(t, isReady) {
  const server = createServer(createHandler({ isReady }));
  server.listen(0);
  await once(server, 'listening');
  t.after(() => server.close());
  const { port } = server.address();
  return async (path) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`);
    return { status: response.status, body: await response.json() };
  };
}

test('GET / greets with the service name', async (t) => {
  const get = await serve(t, async () => true);
  assert.deepEqual(await get('/'), { status: 200, body: { message: `Hello from ${name}` } });
});

test('the liveness probe answers 200', async (t) => {
  const get = await serve(t, async () => false);
  assert.deepEqual(await get('/healthz/live'), { status: 200, body: { status: 'ok' } });
});

test('the readiness probe answers 200 when ready and 503 when not', async (t) => {
  let ready = true;
  const get = await serve(t, async () => ready);
  assert.equal((await get('/healthz/ready')).status, 200);
  ready = false;
  assert.deepEqual(await get('/healthz/ready'), { status: 503, body: { status: 'not ready' } });
});

test('a failing readiness check is not ready', async (t) => {
  const get = await serve(t, async () => {
    throw new Error('no database');
  });
  assert.equal((await get('/healthz/ready')).status, 503);
});

test('unknown paths are 404', async (t) => {
  const get = await serve(t, async () => true);
  assert.equal((await get('/nothing')).status, 404);
});
{% if values.database == 'postgres' %}

test('the database check is not ready when PostgreSQL cannot be reached', async () => {
  const { readiness } = require('../src/readiness');
  // Port 1 on the loopback interface refuses connections.
  const checks = readiness({ DATABASE_HOST: '127.0.0.1', DATABASE_PORT: '1', DATABASE_NAME: 'app', DATABASE_USER: 'app', DATABASE_PASSWORD: 'unused' });
  try {
    assert.equal(await checks.isReady(), false);
  } finally {
    await checks.close();
  }
});
{% endif %}
