import {Preset} from './lib';
export const crcenTable3: Preset = {name: 'crcen-table3', title: 'todo', run: async () => { throw new Error('todo'); }};
