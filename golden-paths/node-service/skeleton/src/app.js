'use strict';
// The service's HTTP routes. Readiness is injected (see readiness.js), so tests need no database.
const { name } = require('../package.json');

/**
 * Answers requests: `GET /` greets, `GET /healthz/live` says the process runs, `GET /healthz/ready`
 * asks `isReady` (the platform's readiness probe: no traffic until it answers 200).
 *
 * @param {{ isReady: () => Promise<boolean> }} options
 * @returns {(request: import('node:http').IncomingMessage, response: import('node:http').ServerResponse) => void}
 */
function createHandler({ isReady }) {
  const send = (response, status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  return (request, response) => {
    if (request.method !== 'GET') return send(response, 405, { error: 'method not allowed' });
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    switch (path) {
      case '/':
        return send(response, 200, { message: `Hello from ${name}` });
      case '/healthz/live':
        return send(response, 200, { status: 'ok' });
      case '/healthz/ready':
        return isReady().then(
          (ready) => send(response, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready' }),
          () => send(response, 503, { status: 'not ready' }),
        );
      default:
        return send(response, 404, { error: 'not found' });
    }
  };
}

module.exports = { createHandler };
