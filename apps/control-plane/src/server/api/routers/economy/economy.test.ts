import { economySuite } from './economy.suite';

economySuite('libsql');
