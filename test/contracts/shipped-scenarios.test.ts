/**
 * Every shipped scenario (scenarios/) passes on the in-process target and against `serve` over
 * HTTP, with every response checked against its endpoint contract (issue #3, "Done when").
 */
import { mswTarget } from '../../contracts/targets/msw.ts';
import { defineScenarioSuite } from '../../contracts/vitest.ts';
import { contractChecked, expectNoContractDrift, servedTarget } from '../helpers/scenario-targets.ts';

const inProcess = contractChecked(mswTarget());
const served = contractChecked(servedTarget());
expectNoContractDrift(inProcess);
expectNoContractDrift(served);

defineScenarioSuite(['scenarios/'], { target: inProcess, name: 'shipped scenarios, in-process (msw)' });
defineScenarioSuite(['scenarios/'], { target: served, name: 'shipped scenarios, against serve' });
