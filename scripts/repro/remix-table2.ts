import {Preset} from './lib';
export const remixTable2: Preset = {name: 'remix-table2', title: 'todo', run: async () => { throw new Error('todo'); }};
