#!/usr/bin/env node
// The container's HEALTHCHECK: healthy when the server answers any HTTP request on its port (the
// control API's /__mock/health when it is on, a 404 from the mock otherwise). It reads the same
// SNOWFLAKE_MOCK_PORT / SNOWFLAKE_MOCK_HTTPS variables as `serve`. Over TLS it does not verify the
// certificate: it talks to itself on loopback, sends no credential, and only asks "are you there?".
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const port = Number(process.env.SNOWFLAKE_MOCK_PORT ?? '4010');
const https = /^(1|true|yes)$/i.test(process.env.SNOWFLAKE_MOCK_HTTPS ?? '');
const request = https ? httpsRequest : httpRequest;
const req = request({ host: '127.0.0.1', port, path: '/__mock/health', timeout: 2000, ...(https && { rejectUnauthorized: false }) }, (res) => {
  res.resume();
  process.exit(res.statusCode !== undefined && res.statusCode < 500 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (error) => {
  console.error(`unhealthy: ${error.message}`);
  process.exit(1);
});
req.end();
