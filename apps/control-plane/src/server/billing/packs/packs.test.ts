import { packsSuite } from './packs.suite';

packsSuite('libsql');
