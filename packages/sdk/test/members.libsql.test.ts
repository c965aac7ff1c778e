import { describe } from 'vitest';
import { describeMembersConformance } from './conformance/members.suite.js';
import { useStore } from './support/stores.js';

describe('libSQL :memory:', () => describeMembersConformance(useStore('libsql-memory')));
describe('libSQL file', () => describeMembersConformance(useStore('libsql-file')));
