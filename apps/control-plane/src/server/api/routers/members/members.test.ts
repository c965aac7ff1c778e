import { membersSuite } from './members.suite';

membersSuite('libsql');
