import { publicApiSuite } from './public-api.suite';

// A libSQL economy with GUILDMINT_ECONOMY_WRITER_THREAD=1 (the SDK's writerThread): the same suite, writer on its thread.
publicApiSuite('libsql', { writerThread: true });
