import {Preset} from './lib';
export const rwwceTable1: Preset = {name: 'rwwce-table1', title: 'todo', run: async () => { throw new Error('todo'); }};
