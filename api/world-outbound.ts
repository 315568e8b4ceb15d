/**
 * The outbound-OAuth and Native App operations of `mock.world` (issue #6): run a setup script in
 * an application's context, add an API_AUTHENTICATION integration (the seed's TypeScript form or
 * its config), approve a specification, read secrets and applications, and — what app code does
 * — get a live access token from an OAUTH2 secret (refreshing it through the provider). Each goes
 * through the same rules as the SQL statements.
 */
import { entryFor, formatMessage } from '../domain/errors/catalogue.ts';
import type { Rejection } from '../domain/errors/rejection.ts';
import { recordEvent } from '../domain/native-app/events.ts';
import { answerSpecification, createApiIntegration, findApplication, findSecret } from '../domain/native-app/mutations.ts';
import { runSetupScript, type StatementReport } from '../domain/native-app/setup-script.ts';
import { useSecretToken } from '../domain/native-app/token-use.ts';
import type { ApiAuthenticationIntegrationConfig } from '../domain/world/config.ts';
import { buildApiAuthentication } from '../domain/world/build.ts';
import type { Account, ApiAuthenticationIntegration, AppSpecification, Application, OAuth2Secret } from '../domain/world/model.ts';
import { validateWorldConfig, worldConfigError } from '../domain/world/validate.ts';
import type { MockCore } from '../http/core.ts';
import { APIAuthenticationSecurityIntegration } from './world-builders.ts';

/** The outbound-OAuth and Native App operations of the world API. */
export interface OutboundWorldApi {
  /**
   * Runs SQL as the setup script of an installed application (https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization provider steps 1–5): in
   * its context, statement by statement; returns what each statement did (`ran` or `skipped`, see
   * decisions/0008). Throws {@link OutboundError} at the first failing statement (no roll-back).
   */
  runSetupScript(application: string, sql: string): StatementReport[];
  /**
   * A live access token from the OAUTH2 secret `DATABASE.SCHEMA.NAME`, as app code gets it: the
   * stored one, else refreshed with the stored refresh token (or fetched with client credentials)
   * through the provider. Throws {@link OutboundError} when it cannot (integration disabled,
   * specification not approved, refresh token expired or revoked, …). Journaled either way
   * (method `APP`, path `oauth_access_token`).
   */
  oauthAccessToken(secret: string): string;
  /** Adds (or with `orReplace` replaces) an API_AUTHENTICATION integration: the seed's object or its config form. */
  addSecurityIntegration(integration: APIAuthenticationSecurityIntegration | ApiAuthenticationIntegrationConfig, options?: { orReplace?: boolean }): ApiAuthenticationIntegration;
  /** `ALTER APPLICATION <app> APPROVE | DECLINE SPECIFICATION <s>` at its current sequence number. */
  approveSpecification(application: string, specification: string, approve?: boolean): AppSpecification;
  /** An OAUTH2 secret by `DATABASE.SCHEMA.NAME` (its tokens included). */
  secret(name: string): OAuth2Secret;
  /** An installed application. */
  application(name: string): Application;
}

/**
 * A refusal of an outbound operation, with Snowflake's code and message and the mock's reason.
 *
 * @example
 * try { mock.world.oauthAccessToken('EXAMPLE_APP.APP_SCHEMA.OAUTH_SECRET') } catch (e) { (e as OutboundError).code // '394618' }
 */
export class OutboundError extends Error {
  /** Catalogue code, e.g. `394618`. */
  readonly code: string;
  /** The finer journal cause, e.g. `SECRET_REFRESH_TOKEN_EXPIRED`. */
  readonly reason: string | undefined;
  /** Why, naming the rule and the object. */
  readonly explanation: string;
  constructor(rejection: Rejection, prefix = '') {
    const message = formatMessage(entryFor(rejection.code), rejection.params ?? {}).replace(/\n/g, ' ');
    super(`${prefix}${rejection.code}: ${message} (${rejection.explanation})`);
    this.name = 'OutboundError';
    this.code = rejection.code;
    this.reason = rejection.cause;
    this.explanation = rejection.explanation;
  }
}

const up = (s: string): string => s.toUpperCase();

/**
 * The operations over a core, for one account.
 *
 * @example
 * Object.assign(api, outboundWorldApi(core, () => 'MYORG-MYACCOUNT'))
 */
export function outboundWorldApi(core: MockCore, accountName: () => string, findAccount: () => Account): OutboundWorldApi {
  return {
    runSetupScript(application, sql) {
      const account = findAccount();
      findApplication(account, up(application));
      const r = runSetupScript(account, up(application), sql, { world: core.world, now: core.clock.now(), ids: core.ids, provider: core.provider, journal: core.journal });
      if (r.changed) core.worldChanged();
      if (!r.ok) throw new OutboundError(r.rejection, `setup script of ${up(application)} failed at line ${r.failed.line} (${JSON.stringify(r.failed.text.slice(0, 80))}): `);
      return [...r.statements];
    },
    oauthAccessToken(secret) {
      const account = findAccount();
      const now = core.clock.now();
      const name = up(secret);
      const r = useSecretToken(account, name, core.provider, now);
      const base = { method: 'APP' as const, path: 'oauth_access_token', account: accountName() };
      if (!r.ok) {
        const j = r.rejection;
        recordEvent(core.journal, { ...base, decision: 'rejected', code: j.code, cause: j.cause, rule: j.rule, explanation: `rejected: app code's token for secret ${name}: ${j.explanation}` }, now);
        throw new OutboundError(j);
      }
      recordEvent(core.journal, { ...base, decision: 'allowed', rule: 'https://docs.snowflake.com/en/developer-guide/native-apps/app-configuration-secret-authorization "Step 6"', explanation: `allowed: ${r.explanation}` }, now);
      return r.accessToken;
    },
    addSecurityIntegration(integration, options = {}) {
      const config = integration instanceof APIAuthenticationSecurityIntegration ? integration.toConfig() : integration;
      const problems = validateWorldConfig({ security_integrations: [config] });
      if (problems.length > 0) throw worldConfigError(problems.map((p) => ({ ...p, path: p.path.slice(2) })));
      const model = buildApiAuthentication(config);
      createApiIntegration(findAccount(), model, { orReplace: options.orReplace ?? false });
      core.worldChanged();
      return model;
    },
    approveSpecification(application, specification, approve = true) {
      const spec = answerSpecification(findApplication(findAccount(), up(application)), up(specification), undefined, approve, core.clock.now());
      core.worldChanged();
      return spec;
    },
    secret: (name) => findSecret(findAccount(), up(name)),
    application: (name) => findApplication(findAccount(), up(name)),
  };
}
