/**
 * tfjs-imbalanced in the browser: the same small MLP trained three ways on
 * the shipped satimage data (damp grey soil vs the rest, 626 : 5809), with
 * exact held-out metrics and reliability diagrams updated after every epoch.
 *
 *   npm run example:browser -- --serve     # builds into examples/browser/dist/ and serves it
 *
 * URL parameters: `backend` (auto | cpu | wasm | webgl), `epochs`, `autorun=1`.
 * `window.exampleState` holds the results as JSON (read by the browser test).
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm'; // registers the wasm backend (its .wasm files are served next to this page)
import * as imb from 'tfjs-imbalanced'; // also adds ds.remix(), ds.balance(), ... to tf.data.Dataset

type Method = 'CE' | 'DWB' | 'ReMix';
const METHODS: {name: Method; label: string; color: string; note: string}[] = [
  {name: 'CE', label: 'cross-entropy', color: '#7a8599', note: "tfjs' built-in categoricalCrossentropy"},
  {name: 'DWB', label: 'DWB loss', color: '#3b6fd8', note: 'imb.losses.dwb({classCounts})'},
  {name: 'ReMix', label: 'ReMix batches', color: '#1f9e74', note: 'fitDataset(fromTensors(xs, ys).remix())'},
];
const COLUMNS = [
  {key: 'val_balancedAccuracy', label: 'balanced acc.', better: 'max'},
  {key: 'val_f1', label: 'macro F1', better: 'max'},
  {key: 'val_gmean', label: 'g-mean', better: 'max'},
  {key: 'val_ece', label: 'ECE', better: 'min'},
  {key: 'val_brier', label: 'Brier', better: 'min'},
] as const;

/** One method's live state; `window.exampleState.rows` holds these. */
interface Row {
  method: Method;
  status: 'waiting' | 'training' | 'done';
  epoch: number;
  epochs: number;
  metrics: Record<string, number>;
  msPerEpoch: number;
  /** tf.memory().numTensors at each epoch end (constant = no growth). */
  tensorsAtEpochEnd: number[];
}

interface ExampleState {
  status: 'idle' | 'loading' | 'training' | 'done' | 'error';
  backend?: string;
  selection?: imb.backend.BackendSelection;
  rows: Row[];
  tensorsBefore?: number;
  tensorsAfter?: number;
  error?: string;
}

const state: ExampleState = {status: 'idle', rows: []};
(window as unknown as {exampleState: ExampleState}).exampleState = state;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

function setStatus(text: string): void {
  $('status').textContent = text;
}

/** satimage, binary task, stratified 75 / 25 split, standardised on the training part. */
async function loadData(): Promise<{train: {xs: tf.Tensor2D; ys: tf.Tensor2D; labels: tf.Tensor2D}; test: {xs: tf.Tensor2D; ys: tf.Tensor2D}; counts: number[]}> {
  const text = await (await fetch('satimage.csv')).text();
  const all = imb.datasets.parseSatimage(text, {task: 'binary'});
  const split = imb.datasets.stratifiedSplit(all, {testFraction: 0.25, seed: 0});
  const [train, test] = imb.datasets.standardize(split.train, split.test);
  const t = imb.datasets.toTensors(train);
  const v = imb.datasets.toTensors(test);
  const out = tf.tidy(() => ({
    train: {xs: t.xs, ys: tf.oneHot(tf.cast(t.ys, 'int32'), 2) as tf.Tensor2D, labels: tf.reshape(tf.cast(t.ys, 'int32'), [-1, 1]) as tf.Tensor2D},
    test: {xs: v.xs, ys: tf.oneHot(tf.cast(v.ys, 'int32'), 2) as tf.Tensor2D},
  }));
  tf.dispose([t.ys, v.ys]);
  return {...out, counts: imb.datasets.countLabels(train)};
}

/** 36-32-16-2, ReLU, softmax; the same seeded initial weights for every method. */
function buildModel(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({units: 32, inputShape: [36], activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 1})}));
  model.add(tf.layers.dense({units: 16, activation: 'relu', kernelInitializer: tf.initializers.heNormal({seed: 2})}));
  model.add(tf.layers.dense({units: 2, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({seed: 3})}));
  return model;
}

const fmt = (v: number | undefined, digits = 3) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits));

function renderTable(): void {
  const done = state.rows.filter(r => r.epoch > 0);
  const best: Record<string, number> = {};
  for (const c of COLUMNS) {
    const values = done.map(r => r.metrics[c.key]).filter(Number.isFinite);
    if (values.length > 1) best[c.key] = c.better === 'max' ? Math.max(...values) : Math.min(...values);
  }
  $('results').innerHTML = state.rows.map(r => {
    const m = METHODS.find(x => x.name === r.method)!;
    const progress = r.epochs > 0 ? (100 * r.epoch) / r.epochs : 0;
    const cells = COLUMNS.map(c => {
      const v = r.metrics[c.key];
      return `<td class="num${best[c.key] === v ? ' best' : ''}">${fmt(v)}</td>`;
    }).join('');
    return `<tr class="${r.status}">
      <th scope="row"><span class="swatch" style="background:${m.color}"></span>${m.label}<div class="note">${m.note}</div></th>
      <td><div class="bar"><div style="width:${progress.toFixed(1)}%;background:${m.color}"></div></div><div class="note">${r.status === 'waiting' ? 'waiting' : `epoch ${r.epoch} / ${r.epochs}`}</div></td>
      ${cells}
      <td class="num">${r.msPerEpoch > 0 ? r.msPerEpoch.toFixed(0) : '–'}</td>
    </tr>`;
  }).join('');
}

/** The report's reliability diagram; its bars take the method's colour through `--chart-accent`. */
function renderDiagram(method: Method, bins: imb.metrics.ReliabilityBin[], ece: number, epoch: number): void {
  const m = METHODS.find(x => x.name === method)!;
  const box = $(`diagram-${method}`);
  box.style.setProperty('--chart-accent', m.color);
  box.innerHTML = `<h3><span class="swatch" style="background:${m.color}"></span>${m.label}<span class="ece">ECE ${fmt(ece)} · epoch ${epoch}</span></h3>` +
    imb.report.reliabilitySvg(bins, {title: `${m.label}: reliability diagram after epoch ${epoch}`});
}

/** One throw-away training step, so the first method's epoch time does not include compiling kernels. */
async function warmUp(data: Awaited<ReturnType<typeof loadData>>): Promise<void> {
  setStatus('warming up the backend…');
  const model = buildModel();
  model.compile({optimizer: 'adam', loss: 'categoricalCrossentropy'});
  const [xs, ys] = [tf.slice(data.train.xs, 0, 64), tf.slice(data.train.ys, 0, 64)];
  await model.fit(xs, ys, {epochs: 1, batchSize: 64, verbose: 0});
  tf.dispose(model.predict(xs) as tf.Tensor);
  tf.dispose([xs, ys]);
  model.dispose();
}

async function train(method: Method, row: Row, data: Awaited<ReturnType<typeof loadData>>): Promise<void> {
  const model = buildModel();
  const loss = method === 'DWB' ? imb.losses.dwb({classCounts: data.counts}) : 'categoricalCrossentropy';
  model.compile({optimizer: 'adam', loss});
  const exact = new imb.callbacks.ExactMetrics({
    metrics: [imb.metrics.balancedAccuracy(), imb.metrics.f1({average: 'macro'}), imb.metrics.gmean(), imb.metrics.ece(), imb.metrics.brier()],
    validationData: [data.test.xs, data.test.ys],
    batchSize: 512,
  });
  let started = 0;
  let totalMs = 0;
  // A plain {onEpochEnd} object cannot be mixed with tf.Callback instances in one list: wrap it.
  const live = new tf.CustomCallback({
    onEpochBegin: async () => {
      started = performance.now();
    },
    onEpochEnd: async (epoch: number, logs?: tf.Logs) => {
      totalMs += performance.now() - started;
      row.epoch = epoch + 1;
      row.msPerEpoch = totalMs / row.epoch;
      for (const c of COLUMNS) row.metrics[c.key] = Number(logs?.[c.key]);
      const probs = tf.tidy(() => model.predict(data.test.xs, {batchSize: 512}) as tf.Tensor);
      const diagram = imb.metrics.reliabilityDiagram(data.test.ys, probs, {bins: 10});
      probs.dispose();
      renderDiagram(method, diagram.bins, row.metrics.val_ece, row.epoch);
      renderTable();
      setStatus(`${state.backend} · ${method} · epoch ${row.epoch} / ${row.epochs}`);
      row.tensorsAtEpochEnd.push(tf.memory().numTensors);
      await tf.nextFrame(); // let the page repaint
    },
  });
  row.status = 'training';
  renderTable();
  if (method === 'ReMix') {
    // Bellinger et al.'s ReMix: class-balanced resampling + mixup with soft labels (labels as class indices here).
    const ds = imb.data.fromTensors(data.train.xs, data.train.labels, {seed: 1}).remix({batchSize: 64, numClasses: 2, alpha: 0.1, seed: 1});
    await model.fitDataset(ds, {epochs: row.epochs, callbacks: [exact, live], verbose: 0});
  } else {
    // Seeded batches of 64 rows in a new order every epoch (tfjs' own fit shuffle cannot be seeded).
    const ds = imb.data.fromTensors(data.train.xs, data.train.ys, {chunkSize: 64, seed: 1});
    await model.fitDataset(ds, {epochs: row.epochs, callbacks: [exact, live], verbose: 0});
  }
  row.status = 'done';
  renderTable();
  model.dispose();
  if (typeof loss !== 'string') loss.dispose();
}

async function run(): Promise<void> {
  const button = $<HTMLButtonElement>('train');
  button.disabled = true;
  try {
    const choice = $<HTMLSelectElement>('backend').value;
    const epochs = Math.max(1, Math.min(200, Number($<HTMLInputElement>('epochs').value) || 10));
    state.status = 'loading';
    setStatus('starting the backend…');
    state.selection = await imb.backend.init(choice === 'auto' ? undefined : (choice as imb.backend.BackendChoice));
    state.backend = state.selection.backend;
    $('backend-note').textContent = `using ${state.selection.backend}${choice === 'auto' ? ' (picked by imb.backend.init())' : ''}`;
    setStatus('loading satimage…');
    const data = await loadData();
    await warmUp(data);
    state.tensorsBefore = tf.memory().numTensors;
    state.rows = METHODS.map(m => ({method: m.name, status: 'waiting', epoch: 0, epochs, metrics: {}, msPerEpoch: 0, tensorsAtEpochEnd: []}));
    for (const m of METHODS) $(`diagram-${m.name}`).innerHTML = `<h3><span class="swatch" style="background:${m.color}"></span>${m.label}</h3><div class="placeholder">waiting</div>`;
    renderTable();
    state.status = 'training';
    for (const row of state.rows) await train(row.method, row, data);
    state.tensorsAfter = tf.memory().numTensors;
    tf.dispose([data.train.xs, data.train.ys, data.train.labels, data.test.xs, data.test.ys]);
    state.status = 'done';
    setStatus(`done on ${state.backend}: ${epochs} epochs per method`);
  } catch (e) {
    state.status = 'error';
    state.error = String((e as Error)?.stack ?? e);
    setStatus(`error: ${(e as Error).message}`);
    throw e;
  } finally {
    button.disabled = false;
  }
}

function init(): void {
  // The charts' stylesheet, shared with the comparison report.
  const style = document.createElement('style');
  style.textContent = imb.report.CHART_CSS;
  document.head.append(style);
  const backend = params.get('backend');
  if (backend) $<HTMLSelectElement>('backend').value = backend;
  const epochs = params.get('epochs');
  if (epochs) $<HTMLInputElement>('epochs').value = epochs;
  $('version').textContent = `tfjs-imbalanced ${imb.VERSION} · TensorFlow.js ${tf.version.tfjs}`;
  $('train').addEventListener('click', () => void run());
  if (params.get('autorun') === '1') void run();
}

init();
