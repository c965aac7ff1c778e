import { onboardingSuite } from './onboarding.suite';

onboardingSuite('libsql');
