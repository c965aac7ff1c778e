import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { LedgerOp } from '../types.js';
import { openConnection } from './connection.js';
import { encodeError, encodeOutcomes, type WriterReply, type WriterRequest } from './thread-codec.js';
import { LibsqlWriter, type WriterCalls } from './writer.js';

// The writer thread's entry (see ./thread-executor.ts): owns the write connection and runs the calls in
// the order they arrive, answering each with its result or its error as data. Groups that queued up
// while a transaction committed commit together in the next one. `close` closes the connection and
// lets the thread end.

const port = parentPort!;
const { path, url } = workerData as { path: string; url: string };

let writer: LibsqlWriter | undefined;
let openError: unknown;
try {
  writer = new LibsqlWriter(openConnection(path, url));
} catch (error) {
  // Every call answers with why the connection did not open.
  openError = error;
}

port.on('message', (first: WriterRequest) => {
  const requests = [first];
  for (let next = receiveMessageOnPort(port); next; next = receiveMessageOnPort(port)) {
    requests.push(next.message as WriterRequest);
  }
  let commits: WriterRequest[] = [];
  for (const request of requests) {
    if (request.call === 'commitGroup') {
      commits.push(request);
      continue;
    }
    commitTogether(commits);
    commits = [];
    if (request.call === 'close') {
      writer?.close();
      port.postMessage({ id: request.id, ok: true, value: undefined } satisfies WriterReply);
      port.close();
      return;
    }
    port.postMessage(answer(request));
  }
  commitTogether(commits);
});

function commitTogether(requests: WriterRequest[]): void {
  if (requests.length === 0) return;
  if (!writer) {
    for (const { id } of requests) port.postMessage({ id, ok: false, error: encodeError(openError) });
    return;
  }
  const groups = requests.map(({ args }) => ({
    ops: args[0] as LedgerOp[],
    now: args[1] as Date,
    retry: args[2] as boolean,
  }));
  const results = writer.commitGroups(groups);
  for (const [i, { id }] of requests.entries()) {
    const result = results[i]!;
    port.postMessage(
      Array.isArray(result)
        ? ({ id, ok: true, value: encodeOutcomes(result) } satisfies WriterReply)
        : ({ id, ok: false, error: encodeError(result.error) } satisfies WriterReply),
    );
  }
}

function answer({ id, call, args }: WriterRequest): WriterReply {
  try {
    if (!writer) throw openError;
    const method = writer[call as keyof WriterCalls] as (...a: unknown[]) => unknown;
    return { id, ok: true, value: method.apply(writer, args) };
  } catch (error) {
    return { id, ok: false, error: encodeError(error) };
  }
}
