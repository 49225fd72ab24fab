import {Preset} from './lib';
export const cslLt: Preset = {name: 'csl-lt', title: 'todo', run: async () => { throw new Error('todo'); }};
