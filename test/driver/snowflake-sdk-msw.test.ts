/**
 * The real snowflake-sdk against the in-process mock: MSW intercepts the driver's HTTPS requests
 * to `myorg-myaccount.snowflakecomputing.com` (issue #5).
 */
import { useMswDriverTarget } from '../helpers/msw-driver.ts';
import { defineContextCases } from './context-cases.ts';
import { defineDriverCases } from './driver-cases.ts';

const target = useMswDriverTarget({ seed: 5 });

defineDriverCases(() => target);
defineContextCases(() => target);
