'use strict';
{% if values.database == 'postgres' %}
// Ready when PostgreSQL answers. The connection comes from the DATABASE_* variables that
// score.yaml maps from the platform's database outputs; the password is a Secret reference there.

/** A pool and a check that runs `SELECT 1` on it. */
function databaseReadiness(env = process.env) {
  const { Pool } = require('pg');
  const pool = new Pool({
    host: env.DATABASE_HOST,
    port: Number(env.DATABASE_PORT ?? 5432),
    database: env.DATABASE_NAME,
    user: env.DATABASE_USER,
    password: env.DATABASE_PASSWORD,
    max: 5,
    connectionTimeoutMillis: 2000,
  });
  const isReady = async () => {
    try {
      await pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  };
  return { isReady, close: () => pool.end() };
}

module.exports = { readiness: databaseReadiness };
{% else %}
// No dependencies to wait for: ready as soon as the process serves requests.

/** A check that is always ready. */
function readiness() {
  return { isReady: async () => true, close: async () => {} };
}

module.exports = { readiness };
{% endif %}
