/**
 * The small session endpoints a driver calls around its queries
 * (https://github.com/snowflakedb/snowflake-connector-nodejs/blob/master/lib/services/sf.js): close
 * (`POST /session?delete=true`), keep-alive (`POST /session/heartbeat`) and telemetry
 * (`POST /telemetry/send`), all behind the session token.
 */
import { reject } from '../../domain/errors/rejection.ts';
import { SOURCES } from '../../domain/errors/sources.ts';
import type { Endpoint } from '../endpoint.ts';
import { allowed, rejected } from '../outcome.ts';
import { json } from '../respond.ts';
import { gsSuccess } from './login-response.ts';
import { withSession } from './session-gate.ts';

/** `POST /session?delete=true` */
export const deleteSession: Endpoint = (req, ctx) =>
  withSession(req, ctx, (session, _user, principal) => {
    if (new URLSearchParams(req.query).get('delete') !== 'true') {
      return rejected(reject('390400', SOURCES.decisionDriverSessions, 'POST /session without delete=true', 'SESSION_REQUEST_UNKNOWN'), 'session', ctx, principal);
    }
    ctx.core.sessions.close(session, ctx.now);
    return allowed(json(200, gsSuccess(null)), `session ${session.id} of ${session.user} closed`, principal);
  });

/** `POST /session/heartbeat` */
export const heartbeat: Endpoint = (req, ctx) =>
  withSession(req, ctx, (session, _user, principal) => allowed(json(200, gsSuccess(null)), `heartbeat of session ${session.id}`, principal));

/** `POST /telemetry/send` */
export const telemetry: Endpoint = (req, ctx) =>
  withSession(req, ctx, (session, _user, principal) => allowed(json(200, gsSuccess('Log Received')), `telemetry of session ${session.id} received (${req.body.length} bytes)`, principal));
