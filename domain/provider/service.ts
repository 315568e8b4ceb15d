/**
 * The external OAuth provider the mock also plays (issue #6): the third-party service an
 * `API_AUTHENTICATION` integration talks to (https://docs.snowflake.com/en/sql-reference/sql/create-security-integration-api-auth). Snowflake-side code (the SQL layer's
 * SYSTEM$START_OAUTH_FLOW / SYSTEM$FINISH_OAUTH_FLOW, token refresh for app code) calls this
 * service in-process — Snowflake → provider traffic never leaves the mock — and the provider's
 * HTTP endpoints (authorize with its consent page, token, protected resources) call it too.
 *
 * This file is the contract between the two sides; `createProviderService` implements it.
 */
import type { ApiAuthenticationIntegration } from '../world/model.ts';

/** Tokens the provider issued for one grant. Times are mock-clock epoch ms. */
export interface ProviderTokenSet {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresAt: number;
  readonly refreshToken?: string;
  readonly refreshExpiresAt?: number;
  /** Space-separated granted scopes ('' when none). */
  readonly scope: string;
}

/** RFC 6749 §5.2 error codes, plus `temporarily_unavailable` for a provider told to be down. */
export type ProviderErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'temporarily_unavailable';

/** A provider answer: tokens, or the RFC error with the HTTP status the provider sends and why (for the journal). */
export type ProviderResult =
  | { readonly ok: true; readonly tokens: ProviderTokenSet }
  | {
      readonly ok: false;
      readonly error: ProviderErrorCode;
      readonly description: string;
      readonly status: number;
      /**
       * Why, finer than the RFC code (optional, for the journal and the Snowflake side's mapping), e.g.
       * `PROVIDER_REFRESH_TOKEN_EXPIRED`, `PROVIDER_REFRESH_TOKEN_REVOKED`, `PROVIDER_REFRESH_TOKEN_UNKNOWN`,
       * `PROVIDER_CODE_EXPIRED`, `PROVIDER_DOWN`.
       */
      readonly cause?: string;
    };

/** What START_OAUTH_FLOW puts into the authorization URL. */
export interface AuthorizationRequest {
  readonly state: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
}

/** The provider as Snowflake (and app code through Snowflake) uses it. */
export interface ProviderService {
  /** The provider's authorization URL for an integration: its OAUTH_AUTHORIZATION_ENDPOINT with client_id, redirect_uri, response_type=code, scope, state. */
  authorizationUrl(integration: ApiAuthenticationIntegration, request: AuthorizationRequest): string;
  /** `grant_type=authorization_code` as Snowflake sends it (client auth per the integration's OAUTH_CLIENT_AUTH_METHOD). */
  exchangeCode(integration: ApiAuthenticationIntegration, code: string, redirectUri: string, now: number): ProviderResult;
  /** `grant_type=refresh_token`. */
  refresh(integration: ApiAuthenticationIntegration, refreshToken: string, now: number): ProviderResult;
  /** `grant_type=client_credentials` with the secret's OAUTH_SCOPES. */
  clientCredentials(integration: ApiAuthenticationIntegration, scopes: readonly string[], now: number): ProviderResult;
}
