import { importsSuite } from './imports.suite';

importsSuite('libsql');
