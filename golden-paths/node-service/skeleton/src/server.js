'use strict';
// Entry point: listens on PORT (8080 by default) and stops cleanly on SIGTERM, which Kubernetes
// sends before it stops a pod.
const { createServer } = require('node:http');
const { createHandler } = require('./app');
const { readiness } = require('./readiness');

const port = Number(process.env.PORT ?? 8080);
const checks = readiness();
const server = createServer(createHandler({ isReady: checks.isReady }));

server.listen(port, () => console.log(`listening on port ${port}`));

process.on('SIGTERM', () => {
  console.log('SIGTERM: closing');
  server.close(() => {
    Promise.resolve(checks.close()).finally(() => process.exit(0));
  });
  // Connections that stay open (keep-alive) do not hold the shutdown back.
  server.closeIdleConnections();
});
