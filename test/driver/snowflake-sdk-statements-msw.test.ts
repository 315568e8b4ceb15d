/**
 * Statements the user answers, decoded by the real snowflake-sdk in-process: MSW intercepts the
 * driver's requests to `myorg-myaccount.snowflakecomputing.com` (decisions/0016).
 */
import { useMswDriverTarget } from '../helpers/msw-driver.ts';
import { DRIVER_HOOK, DRIVER_STATEMENTS, defineStatementDriverCases } from './statements-cases.ts';

const target = useMswDriverTarget({ seed: 5, statements: DRIVER_STATEMENTS, onStatement: DRIVER_HOOK });

defineStatementDriverCases(() => target);
