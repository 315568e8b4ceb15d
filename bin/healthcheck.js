#!/usr/bin/env node
// The container's HEALTHCHECK: healthy when the server answers any HTTP request (the control API's
// /__mock/health when it is on, a 404 from the mock otherwise). Where it is comes from the URL file
// `serve --url-file` writes once listening (SNOWFLAKE_MOCK_URL_FILE; the image sets it), so a port
// or scheme given as a flag counts too; without that file, from SNOWFLAKE_MOCK_PORT/_HTTPS read as
// serve reads them. Over TLS it does not verify the certificate: it talks to its own server on
// loopback, sends no credential, and only asks "are you there?".
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** An environment value as serve reads it: trimmed, and empty counts as unset. */
const env = (name) => process.env[name]?.trim() || undefined;

function target() {
  const file = env('SNOWFLAKE_MOCK_URL_FILE');
  if (file) {
    try {
      const url = new URL(readFileSync(file, 'utf8').trim());
      // A server bound to every interface is asked on loopback.
      const host = ['0.0.0.0', '[::]'].includes(url.hostname) ? '127.0.0.1' : url.hostname.replace(/^\[|\]$/g, '');
      const https = url.protocol === 'https:';
      // The URL parser drops a scheme's default port: url.port is then ''.
      return { https, host, port: Number(url.port) || (https ? 443 : 80) };
    } catch {
      // Not written yet (still starting) or unreadable: fall back to the environment.
    }
  }
  return { https: /^(1|true|yes)$/i.test(env('SNOWFLAKE_MOCK_HTTPS') ?? ''), host: '127.0.0.1', port: Number(env('SNOWFLAKE_MOCK_PORT') ?? '4010') };
}

const { https, host, port } = target();
const request = https ? httpsRequest : httpRequest;
const req = request({ host, port, path: '/__mock/health', timeout: 2000, ...(https && { rejectUnauthorized: false }) }, (res) => {
  res.resume();
  process.exit(res.statusCode !== undefined && res.statusCode < 500 ? 0 : 1);
});
req.on('timeout', () => req.destroy(new Error('timed out')));
req.on('error', (error) => {
  console.error(`unhealthy: ${https ? 'https' : 'http'}://${host}:${port}: ${error.message}`);
  process.exit(1);
});
req.end();
