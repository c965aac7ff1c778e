import { publicApiSuite } from './public-api.suite';

publicApiSuite('libsql');
