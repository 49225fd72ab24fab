/** Callbacks that own epoch-wise state (filled in by issues 3 and 5). */
export {};
