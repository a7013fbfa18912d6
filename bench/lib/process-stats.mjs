// A benchmark server process's side of the `stats` request (strapi-child.mjs, chat-bare-server.mjs):
// its own RSS and retained memory, CPU time and open connections, measured inside the process so the parent needs no /proc.

/**
 * Answers the parent's `{ type: 'stats', id, gc }` messages over IPC for `httpServer`;
 * `takeQueries()`, when given, adds the SQL statements run since the last answer.
 */
export function answerStatsRequests(httpServer, takeQueries) {
  process.on('message', (message) => {
    if (message?.type !== 'stats') return;
    // CPU time before the collection below, so the figures don't include the benchmark's own GC.
    const cpu = process.cpuUsage();
    // A full collection first (node --expose-gc) so memory figures compare settled heaps, not GC timing.
    if (message.gc && typeof global.gc === 'function') global.gc();
    httpServer.getConnections((error, connections) => {
      const memory = process.memoryUsage();
      process.send?.({
        type: 'stats',
        id: message.id,
        rss: memory.rss,
        // What the process holds on to (JS heap + buffers): after a GC, unlike RSS, it also goes down.
        retained: memory.heapUsed + memory.external,
        cpu,
        connections: error ? -1 : connections,
        ...(takeQueries ? { queries: takeQueries() } : {}),
        at: performance.timeOrigin + performance.now(),
      });
    });
  });
}
