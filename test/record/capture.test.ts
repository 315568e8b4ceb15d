/**
 * What the recorders keep of a message (record/capture.ts): hop-by-hop headers out (RFC 9110
 * §7.6.1), bodies decoded and stored readably, the addressed Host only when it says something.
 */
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { addressedHost, capturedMessage, decodeContent, endToEndHeaders, recordedBody, recordedHeaders } from '../../record/capture.ts';

describe('headers', () => {
  it('drops the hop-by-hop headers of RFC 9110 §7.6.1 and those the Connection header names', () => {
    const headers = endToEndHeaders({
      Connection: 'keep-alive, X-Trace', 'Keep-Alive': 'timeout=5', 'Transfer-Encoding': 'chunked', TE: 'trailers', Upgrade: 'h2c', 'Proxy-Connection': 'keep-alive',
      'X-Trace': 'abc', Accept: 'application/json', 'Set-Cookie': ['a=1', 'b=2'],
    });
    expect(headers).toEqual({ accept: 'application/json', 'set-cookie': 'a=1, b=2' });
  });

  it('recorded headers also leave out content-length and host, and content-encoding once the body is decoded', () => {
    const input = { 'content-length': '10', host: 'x.localhost:4011', 'content-encoding': 'gzip', authorization: 'Bearer t' };
    expect(recordedHeaders(input, true)).toEqual({ authorization: 'Bearer t' });
    expect(recordedHeaders(input, false)).toEqual({ authorization: 'Bearer t', 'content-encoding': 'gzip' });
  });
});

describe('content decoding', () => {
  const text = '{"data":{"token":"t"}}';
  it.each([
    ['gzip', gzipSync(text)],
    ['br', brotliCompressSync(text)],
    ['deflate', deflateSync(text)],
    ['deflate', deflateRawSync(text)],
    ['deflate, gzip', gzipSync(deflateSync(text))],
    ['identity', Buffer.from(text)],
    [undefined, Buffer.from(text)],
  ])('undoes %s', (encoding, bytes) => {
    const out = decodeContent(bytes, encoding);
    expect(out.decoded).toBe(true);
    expect(out.bytes.toString('utf8')).toBe(text);
  });

  it('keeps the bytes and says so for an unknown coding or a broken stream', () => {
    expect(decodeContent(Buffer.from('abc'), 'zz-unknown')).toEqual({ bytes: Buffer.from('abc'), decoded: false });
    expect(decodeContent(Buffer.from('not gzip'), 'gzip').decoded).toBe(false);
  });
});

describe('bodies', () => {
  it('stores JSON parsed, forms as ordered fields, other UTF-8 as text, other bytes as base64, nothing for none', () => {
    expect(recordedBody(Buffer.from('{"a":[1]}'), 'application/json; charset=utf-8')).toEqual({ json: { a: [1] } });
    expect(recordedBody(Buffer.from('{"a":1}'), 'application/vnd.api+json')).toEqual({ json: { a: 1 } });
    expect(recordedBody(Buffer.from('{"a":1}'), undefined)).toEqual({ json: { a: 1 } });
    expect(recordedBody(Buffer.from('{not json'), 'application/json')).toEqual({ text: '{not json' });
    expect(recordedBody(Buffer.from('b=2&a=x+y&a=%2F'), 'application/x-www-form-urlencoded')).toEqual({ form: [['b', '2'], ['a', 'x y'], ['a', '/']] });
    expect(recordedBody(Buffer.from('<html>'), 'text/html')).toEqual({ text: '<html>' });
    expect(recordedBody(Buffer.from([0xff, 0x00, 0xfe]), 'application/octet-stream')).toEqual({ base64: '/wD+' });
    expect(recordedBody(Buffer.alloc(0), 'application/json')).toBeUndefined();
  });

  it('a gzip request body is recorded inflated, without its content-encoding', () => {
    const captured = capturedMessage({ 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': '40' }, gzipSync('{"data":{"LOGIN_NAME":"alice"}}'));
    expect(captured).toEqual({ headers: { 'content-type': 'application/json' }, body: { json: { data: { LOGIN_NAME: 'alice' } } } });
  });
});

describe('addressed host', () => {
  const upstream = new URL('http://127.0.0.1:4010');
  it('is the host name a client named, without port', () => {
    expect(addressedHost('myorg-myaccount.localhost:4011', upstream)).toBe('myorg-myaccount.localhost');
    expect(addressedHost('XY12345.snowflakecomputing.com', upstream)).toBe('xy12345.snowflakecomputing.com');
  });
  it('is left out for the proxy’s own address and the upstream’s host', () => {
    expect(addressedHost('127.0.0.1:4011', upstream)).toBeUndefined();
    expect(addressedHost('[::1]:4011', upstream)).toBeUndefined();
    expect(addressedHost('localhost:4011', upstream)).toBeUndefined();
    expect(addressedHost(undefined, upstream)).toBeUndefined();
    expect(addressedHost('myorg-myaccount.snowflakecomputing.com', new URL('https://myorg-myaccount.snowflakecomputing.com'))).toBeUndefined();
  });
});
