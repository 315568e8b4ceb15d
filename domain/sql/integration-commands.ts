/**
 * `ALTER SECURITY INTEGRATION … SET|UNSET NETWORK_POLICY` (https://docs.snowflake.com/en/user-guide/network-policies: a policy is activated on
 * a security integration by its NETWORK_POLICY parameter).
 */
import { setIntegrationEnabled, setNetworkPolicy } from '../world/mutations.ts';
import type { SecurityIntegration } from '../world/model.ts';
import type { SqlEnv, SqlResult, SqlSession } from './execute.ts';
import type { Command } from './parse.ts';
import { INTEGRATION_ADMIN_ROLES, NOTHING_DONE, statusResult } from './privileges.ts';
import { doesNotExist, failed, insufficientPrivileges, invalidValue } from './refusals.ts';

const RULE = 'https://docs.snowflake.com/en/user-guide/network-policies';

/**
 * Sets or unsets an OAuth integration's network policy. The integration must exist (else 002003,
 * or a no-op under IF EXISTS), the session role must be ACCOUNTADMIN or SECURITYADMIN (inferred:
 * the integration's owner in Snowflake), the policy must exist (002003), and only `type: oauth`
 * integrations carry one here (001422 otherwise, inferred).
 *
 * @example
 * alterIntegration({ kind: 'alter-integration', ifExists: false, name: 'MY_APP', policy: 'CORP_ONLY' }, session, env)
 */
export function alterIntegration(cmd: Extract<Command, { kind: 'alter-integration' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const a = session.account;
  const target = alterableIntegration(cmd, session, RULE);
  if (!target.ok) return target.result;
  const { integration } = target;
  if (cmd.policy !== null && !a.networkPolicies.has(cmd.policy)) {
    return failed(doesNotExist('Network policy', cmd.policy, RULE, `no network policy ${JSON.stringify(cmd.policy.slice(0, 100))} in ${a.name}`));
  }
  if (integration.type !== 'OAUTH') {
    return failed(invalidValue('NETWORK_POLICY', cmd.policy ?? '', `${RULE}; inferred: decisions/0004-inferred-choices-of-issue-2.md`, `integration ${integration.name} is of type ${integration.type}; only OAuth integrations carry a network policy in the mock`));
  }
  setNetworkPolicy(env.world, a.name, { integration: integration.name }, cmd.policy);
  return statusResult('Statement executed successfully.', true);
}

/**
 * `ALTER [SECURITY] INTEGRATION [IF EXISTS] <name> SET ENABLED = TRUE | FALSE` (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth: a
 * disabled integration "fails to work"; the same switch as the world API's setIntegrationEnabled).
 * Same privileges as a network policy change (inferred).
 *
 * @example
 * setIntegrationEnabledCommand({ kind: 'alter-integration-enabled', ifExists: false, name: 'OAUTH_INTEGRATION', enabled: false }, session, env)
 */
export function setIntegrationEnabledCommand(cmd: Extract<Command, { kind: 'alter-integration-enabled' }>, session: SqlSession, env: SqlEnv): SqlResult {
  const a = session.account;
  const rule = 'https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth (ENABLED)';
  const target = alterableIntegration(cmd, session, rule);
  if (!target.ok) return target.result;
  const { integration } = target;
  if (integration.type === 'API_AUTHENTICATION' && integration.application !== undefined) {
    const why = `integration ${integration.name} belongs to application ${integration.application} (its setup script created it); role ${session.role} may not alter it`;
    return failed(insufficientPrivileges('integration', integration.name, `${rule}; decisions/0008 (the application owns what its setup script creates)`, why));
  }
  setIntegrationEnabled(env.world, a.name, integration.name, cmd.enabled);
  return statusResult('Statement executed successfully.', true);
}

/**
 * The integration an ALTER acts on: it must exist (else 002003, or a no-op under IF EXISTS) and the
 * session role must be one that alters integrations (inferred: the integration's owner in Snowflake).
 */
function alterableIntegration(cmd: { readonly name: string; readonly ifExists: boolean }, session: SqlSession, rule: string): { ok: true; integration: SecurityIntegration } | { ok: false; result: SqlResult } {
  const a = session.account;
  const integration = a.securityIntegrations.get(cmd.name);
  if (!integration) {
    if (cmd.ifExists) return { ok: false, result: statusResult(NOTHING_DONE, false) };
    return { ok: false, result: failed(doesNotExist('Integration', cmd.name, rule, `no security integration ${JSON.stringify(cmd.name.slice(0, 100))} in ${a.name}`)) };
  }
  if (!INTEGRATION_ADMIN_ROLES.has(session.role)) {
    const why = `role ${session.role} may not alter integration ${integration.name}: the mock lets ${[...INTEGRATION_ADMIN_ROLES].join(', ')} do it (inferred)`;
    return { ok: false, result: failed(insufficientPrivileges('integration', integration.name, `${rule}; privileges inferred`, why)) };
  }
  return { ok: true, integration };
}
