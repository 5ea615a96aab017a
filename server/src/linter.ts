/** The engine with every rule dockwise knows: what the CLI, the Node and browser entries and the tests call. */
import { createEngine } from './engine/engine';
import { rules } from './rules';

export const { analyze, lint, fixAll, quickFixes, fixAllAction } = createEngine(rules);
