/**
 * examples/metrics-shards.ts: 4 worker threads each evaluate a quarter of a
 * prediction set and send getState() back; the merged metrics equal one call
 * over all rows (exactly, for every metric in the example).
 */
import {evaluateInWorkers, makeMetrics, makePredictions, mergeStates} from '../../examples/metrics-shards';

describe('metrics-shards example', () => {
  it('4 worker threads, states merged, equal one call', async () => {
    const rows = 20_000;
    const C = 5;
    const {labels, probs} = makePredictions(rows, C);
    const states = await evaluateInWorkers(labels, probs, C, 4);
    expect(states).toHaveLength(4);
    expect(states.map(s => s[0].count)).toEqual([5000, 5000, 5000, 5000]);
    const merged = mergeStates(states);
    const one = makeMetrics();
    one.forEach(m => m.update({values: labels, shape: [rows]}, {values: probs, shape: [rows, C]}));
    expect(merged.map(m => m.result())).toEqual(one.map(m => m.result()));
    expect(merged.map(m => m.name)).toEqual(one.map(m => m.name));
  });
});
