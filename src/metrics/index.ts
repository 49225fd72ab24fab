/** Stateful, streaming-exact metrics (filled in by the metrics work, issue 3). */
export {};
