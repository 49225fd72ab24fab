/** Post-hoc calibration: temperature scaling fitted on held-out data. */
export {temperatureScaling} from './temperatureScaling';
export type {CalibrationReport, TemperatureScaler, TemperatureScalingOptions} from './temperatureScaling';
export {fitTemperature, nllAtTemperature} from './temperature';
export type {LogitSet} from './temperature';
