/**
 * The exchanges of a WireMock import, before redaction: one per mapping, files in sorted order,
 * each file's mappings in scenario order.
 */
import { existsSync, statSync } from 'node:fs';
import type { Exchange } from '../format.ts';
import { deriveRequest, type DeriveContext } from './derive-request.ts';
import { deriveResponse, impliedQuery } from './derive-response.ts';
import { loadMappingFile, mappingFiles, scenarioOrder, WiremockError } from './mapping.ts';

/** How mappings are read. */
export interface ExchangeOptions {
  /** Literal text replaced in every file before it is read, as a driver's test suite does (`{{OAUTH_REDIRECT_PORT}}` → `8011`). */
  readonly substitutions?: Readonly<Record<string, string>>;
  /** The instant every exchange is stamped with (default: now); mappings have no time, so all exchanges share it. */
  readonly at?: Date;
}

/**
 * The exchanges an import writes, before redaction (real fixture values; never persist these
 * except through the writer).
 *
 * @example
 * wiremockExchanges('recordings/driver-fixtures')[0]?.origin // 'gosnowflake/test_data/wiremock/mappings/auth/mfa/parallel_login_first_fails_then_successful_flow.json#1'
 */
export function wiremockExchanges(mappingsDir: string, options: ExchangeOptions = {}): Omit<Exchange, 'id'>[] {
  if (!existsSync(mappingsDir) || !statSync(mappingsDir).isDirectory()) throw new WiremockError(mappingsDir, '(folder)', 'not a folder of WireMock mappings');
  const files = mappingFiles(mappingsDir);
  if (files.length === 0) throw new WiremockError(mappingsDir, '(folder)', 'no .json mapping files found');
  const startedAt = (options.at ?? new Date()).toISOString();
  const out: Omit<Exchange, 'id'>[] = [];
  for (const file of files) {
    const ctx: DeriveContext = {};
    for (const { index, where, mapping } of scenarioOrder(loadMappingFile(mappingsDir, file, options.substitutions))) {
      const request = deriveRequest(mapping.request, ctx, file, `${where}.request`, impliedQuery(mapping.response));
      const { response, delayMs } = deriveResponse(mapping.response, request, mappingsDir, file, `${where}.response`);
      out.push({ startedAt, durationMs: delayMs, request, response, origin: `${file}#${index}` });
    }
  }
  return out;
}

