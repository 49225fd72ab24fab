/**
 * The one error type the library throws for bad input. It always names the
 * parameter, says what was expected and shows what was given, so that a wrong
 * class-count vector fails at the call site instead of turning into a NaN loss
 * ten epochs later.
 */
export class ImbalancedInputError extends Error {
  /** Name of the offending parameter, e.g. `classCounts` or `yTrue`. */
  readonly parameter: string;
  /** What the parameter should have been. */
  readonly expected: string;
  /** A short rendering of what was passed. */
  readonly given: string;

  constructor(parameter: string, expected: string, given: unknown) {
    const shown = describeValue(given);
    super(`${parameter}: expected ${expected}, got ${shown}`);
    this.name = 'ImbalancedInputError';
    this.parameter = parameter;
    this.expected = expected;
    this.given = shown;
  }
}

/** The same error for a renamed parameter (e.g. prefixed with the dataset element it was found in). */
export function renameParameter(error: ImbalancedInputError, parameter: string): ImbalancedInputError {
  const renamed = new ImbalancedInputError(parameter, error.expected, 'a value');
  Object.defineProperty(renamed, 'given', {value: error.given});
  renamed.message = `${parameter}: expected ${error.expected}, got ${error.given}`;
  return renamed;
}

/**
 * Renders a value for an error message without dumping huge arrays. A string
 * with a space is taken as a ready-made description ("shape [2, 3]") and shown
 * as is; any other string is an option value and is quoted.
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (value === undefined || value === null) return String(value);
  // A function by its name: its source would flood the message.
  if (typeof value === 'function') return `a function named "${value.name || 'anonymous'}"`;
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const arr = Array.from(value as ArrayLike<unknown>);
    const head = arr.slice(0, 8).map(describeValue).join(', ');
    return `[${head}${arr.length > 8 ? `, ... (${arr.length} items)` : ''}]`;
  }
  if (typeof value === 'object' && value !== null && 'shape' in value) {
    return `a tensor of shape [${(value as {shape: number[]}).shape.join(', ')}]`;
  }
  try {
    const text = JSON.stringify(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}
