/**
 * Callbacks for `model.fit` / `model.fitDataset` that own epoch-wise state:
 * exact epoch-level metrics, CSL's coefficients, CRCEN diagnostics, progress.
 */
export {ProgressBar, formatDuration} from './progressBar';
export type {ProgressBarOptions, ProgressStream} from './progressBar';
export {CRCENExpense, crcenExpenseSweep} from './crcenExpense';
export type {CrcenExpenseOptions, CrcenEpochRecord, ExpenseRow, ExpenseSweepOptions, LabelledTensors} from './crcenExpense';
export {resolveLogs} from './logs';
export type {Logs} from './logs';
export {ExactMetrics} from './exactMetrics';
export type {ExactMetricsOptions, ValidationDataset} from './exactMetrics';
export {CSL} from './csl';
export type {CslCallbackOptions, CslHistoryEntry} from './csl';
