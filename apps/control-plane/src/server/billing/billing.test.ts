import { billingSuite } from './billing.suite';

billingSuite('libsql');
