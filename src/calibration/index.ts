/** Post-hoc calibration (filled in by issue 5). */
export {};
