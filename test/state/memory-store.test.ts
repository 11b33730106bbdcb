import { MemoryStore } from '../../src/state/memory-store.js';
import { describeStateStore } from './state-store-suite.js';

describeStateStore('memory', async (bounds) => new MemoryStore(bounds));
