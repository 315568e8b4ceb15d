/**
 * The few HTTP calls the Testcontainers module makes to the mock's control API, over node:http or
 * node:https with the container's own CA (fetch cannot take a CA without undici's dispatcher).
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Sends control requests to one server.
 *
 * @example
 * const { now } = await controlClient('http://localhost:4010').send<{ now: string }>('GET', 'clock')
 */
export interface ControlClient {
  send<T = unknown>(method: string, name: string, body?: unknown): Promise<T>;
}

/**
 * A control client for `baseUrl`; `ca` (PEM) is trusted for an https URL, nothing else is.
 *
 * @example
 * const control = controlClient(mock.getBaseUrl(), mock.getCaCertificate())
 */
export function controlClient(baseUrl: string, ca?: string): ControlClient {
  return {
    send: <T>(method: string, name: string, body?: unknown) =>
      new Promise<T>((resolve, reject) => {
        const url = new URL(`/__mock/${name}`, baseUrl);
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const headers = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
        const options = { method, headers, ...(url.protocol === 'https:' && ca !== undefined && { ca }) };
        const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if ((res.statusCode ?? 0) >= 400) return reject(new Error(`${method} ${url.pathname}: ${res.statusCode} ${text}`));
            try {
              resolve(JSON.parse(text) as T);
            } catch {
              reject(new Error(`${method} ${url.pathname}: the answer is not JSON: ${text.slice(0, 200)}`));
            }
          });
        });
        req.on('error', reject);
        req.end(payload);
      }),
  };
}
